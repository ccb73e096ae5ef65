# image_bench: 1 GiB over REST and gRPC against a running gureum-image, vs dd, and the
# service's peak memory (tests/e2e/image_bench_run.sh deploys and runs it).
gureum_cc_binary(NAME image_bench SRCS image_bench.cc
  DEPS gureum::proto_image PkgConfig::HTTPLIB PkgConfig::GRPCPP nlohmann_json::nlohmann_json
       CLI11::CLI11)
