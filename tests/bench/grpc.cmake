gureum_cc_binary(NAME grpc_bench SRCS grpc_bench.cc
  DEPS gureum::bench_harness gureum::common_grpc gureum::common_grpc_echo CLI11::CLI11
       PkgConfig::SODIUM)
