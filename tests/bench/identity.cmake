gureum_cc_binary(NAME identity_bench SRCS identity_bench.cc slow_clients.cc
  DEPS gureum::bench_harness gureum::identity_rest gureum::identity_core gureum::common_auth
       gureum::common_db gureum::identity_migrations gureum::common_log PkgConfig::HTTPLIB
       CLI11::CLI11)
