# network_agent_bench: the network agent's datapath wiring time (HostState change ->
# bridge, VXLAN and nftables rules applied) on real devices in a namespace of its own
# (root; see network_agent_bench.cc).
if(TARGET gureum_network_agent_testing)
  gureum_cc_binary(NAME network_agent_bench SRCS network_agent_bench.cc
    DEPS gureum::bench_harness gureum::network_agent_testing gureum::network_agent_linux
         CLI11::CLI11 absl::strings absl::time)
endif()
