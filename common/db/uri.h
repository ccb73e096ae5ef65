// Helpers for libpq connection URIs (postgresql://user:password@host:port/dbname?k=v):
// pointing a server URI at one service's database, and keeping the password out of every
// log line and error message. Pure string functions, no server needed.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gureum::db {

// `uri` (any scheme://) with its password and any `password=` parameter replaced by "***".
// Safe to log. Strings that are not URIs come back with `password=` values masked.
std::string RedactUri(const std::string& uri);

// `message` with every occurrence of the password held in `uri` replaced by "***".
// libpq and libpqxx messages may quote the connection string; everything the db library
// reports goes through this.
std::string StripPassword(const std::string& message, const std::string& uri);

// `uri` pointing at database `database` instead of the one it names (or none), keeping
// user, password, host, port and query parameters. InvalidArgument if `uri` is not a
// postgresql:// or postgres:// URI.
absl::StatusOr<std::string> UriWithDatabase(const std::string& uri, const std::string& database);

}  // namespace gureum::db
