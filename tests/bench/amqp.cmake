# amqp_bench: confirmed casts and cast -> consume on a real RabbitMQ (see amqp_bench.cc).
gureum_cc_binary(NAME amqp_bench SRCS amqp_bench.cc
  DEPS gureum::bench_harness gureum::common_amqp CLI11::CLI11 absl::status absl::strings
       absl::synchronization absl::time)
