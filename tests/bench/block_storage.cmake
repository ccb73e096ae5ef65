# block_storage_bench: volume create -> available and the API's share of an attach against
# running gureum-block-storage and gureum-volume-agent (tests/e2e/block_storage_bench_run.sh).
gureum_cc_binary(NAME block_storage_bench SRCS block_storage_bench.cc
  DEPS gureum::bench_harness PkgConfig::HTTPLIB nlohmann_json::nlohmann_json CLI11::CLI11
       absl::statusor)
