# volume_bench: sequential read and write through a volume agent NBD export (a
# qemu-storage-daemon on 127.0.0.1) against the same kind of qcow2 file opened locally,
# both with qemu-img bench (issue 18: NBD >= 70% of local).
if(TARGET gureum_volume_agent_export)
  gureum_cc_binary(NAME volume_bench SRCS volume_bench.cc
    DEPS gureum::volume_agent_export CLI11::CLI11 absl::strings absl::time)
endif()
