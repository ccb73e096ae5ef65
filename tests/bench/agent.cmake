# agent_bench: create -> domain started for the tiny image on qemu:///system with a warm
# image cache, split into the agent's own work and libvirt/QEMU (see agent_bench.cc).
if(TARGET gureum_agent_testing)
  gureum_cc_binary(NAME agent_bench SRCS agent_bench.cc
    DEPS gureum::bench_harness gureum::agent_testing CLI11::CLI11 absl::strings absl::time)
  target_compile_definitions(agent_bench PRIVATE
    GUREUM_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GUREUM_BINARY_DIR="${PROJECT_BINARY_DIR}")
endif()
