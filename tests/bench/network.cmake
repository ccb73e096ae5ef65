# network_bench: Neutron REST port create and security-group-rule create latency with
# gureum-network's REST adapter in-process on the test PostgreSQL (see network_bench.cc).
if(TARGET gureum_network_rest)
  gureum_cc_binary(NAME network_bench SRCS network_bench.cc
    DEPS gureum::bench_harness gureum::network_rest gureum::network_core gureum::common_db_testing
         gureum::common_amqp gureum::testing_env PkgConfig::HTTPLIB)
endif()
