# Filled in with the db library (gureum_sql_migrations).
