gureum_cc_binary(NAME scheduler_bench SRCS scheduler_bench.cc
  DEPS gureum::bench_harness gureum::scheduler_core gureum::scheduler_testing
       gureum::scheduler_migrations gureum::common_db gureum::common_amqp gureum::common_log
       CLI11::CLI11)
