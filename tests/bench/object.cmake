# Object storage (issue 19): small-object PUT and GET through a running proxy.
if(TARGET gureum-object-proxy)
  gureum_cc_binary(NAME object_bench SRCS object_bench.cc
    DEPS gureum::bench_harness gureum::common_log PkgConfig::HTTPLIB CLI11::CLI11)
endif()
