# compute_bench: REST server create latency and create -> ACTIVE on a simulated host, with
# compute-api in-process on the test PostgreSQL and RabbitMQ (see compute_bench.cc).
if(TARGET gureum_compute_api_bench_support)
  gureum_cc_binary(NAME compute_bench SRCS compute_bench.cc
    DEPS gureum::bench_harness gureum::compute_api_bench_support gureum::common_db_testing
         gureum::testing_env PkgConfig::HTTPLIB)
endif()
