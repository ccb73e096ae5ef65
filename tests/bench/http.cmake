gureum_cc_binary(NAME http_bench SRCS http_bench.cc slow_clients.cc
  DEPS gureum::bench_harness gureum::common_http gureum::common_log PkgConfig::HTTPLIB
       CLI11::CLI11)
