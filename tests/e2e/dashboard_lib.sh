# Helpers for the dashboard's end-to-end test and benchmark (sourced after lib.sh,
# image_lib.sh, block_storage_lib.sh, compute_lib.sh, network_lib.sh and, for
# DASH_OBJECT_STORAGE=1, object_storage_lib.sh).
#
# deploy_dashboard_cloud [extra [compute] lines for the simulated host]: identity, image,
# network, block storage with a volume agent (file backend), compute-api + scheduler, one
# compute host, project demo (and demo2) with member alice, flavor m1.tiny, the external
# network public with a subnet, and gureum-dashboard on a free port. The compute host is
# simulated (libvirt's test:///default) unless DASH_HYPERVISOR=qemu: then a real agent on
# $uri (qemu:///system) boots QEMU guests and attaches volumes, and the tiny test image
# (tests/images/build-tiny.sh) is uploaded public as "tiny" (the caller's EXIT trap runs
# remove_qemu_test_leftovers). Sets admin_password, member_password, host, dash_port (and
# the ports of lib.sh's deploy_* helpers). Flavor m1.small too (a resize target), and object
# storage (object_storage_lib.sh's deploy_object_storage) when DASH_OBJECT_STORAGE=1. The
# dashboard keeps its sessions in $E2E_DIR/dashboard-sessions (they survive a restart);
# start_dashboard starts it (again), its pid in dash_pid.
deploy_dashboard_cloud() {
  admin_password='Dash!admin-1'
  member_password='Dash!member-1'
  deploy_identity "$admin_password"
  deploy_image
  deploy_network
  deploy_service_user "$admin_password"
  capi_grpc_port=$(free_port)
  BS_COMPUTE_GRPC=127.0.0.1:$capi_grpc_port deploy_block_storage
  start_volume_agent
  COMPUTE_EXTRA_CONF="network_grpc = 127.0.0.1:$net_grpc_port
block_storage_grpc = 127.0.0.1:$bs_grpc_port
allow_resize_to_same_host = true" deploy_compute_controller "$admin_password"
  # Bootstrap (again, in deploy_compute_controller) pointed the catalog at default ports.
  check "point the network endpoints at the test port" \
    set_endpoints network "http://127.0.0.1:$net_rest_port"
  check "point the volume endpoints at the test port" \
    set_endpoints volumev3 "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
  check "point the block-storage endpoints at the test port" \
    set_endpoints block-storage "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
  if [ "${DASH_HYPERVISOR:-sim}" = qemu ]; then
    host=dash2-qemu-$$
    chmod 0755 "$E2E_DIR"  # libvirt's qemu user reads the instances' disks under it
    # shutdown_timeout: a guest still booting ignores the ACPI power button (a stop or a
    # resize right after a start would wait the default 60 s before powering it off).
    QEMU_AGENT_EXTRA_CONF="network_grpc = 127.0.0.1:$net_grpc_port
shutdown_timeout = 5" start_qemu_agent "$host" 127.0.0.1
    upload_tiny_image  # and flavor m1.tiny
  else
    host=dash-host-$$
    start_sim_agent "$host" "network_grpc = 127.0.0.1:$net_grpc_port" \
      "block_storage_grpc = 127.0.0.1:$bs_grpc_port" "$@"
    WAIT_POLL=0.3 wait_until 60 "the simulated host reports up" host_is "$host" "enabled up"
    check "flavor m1.tiny" openstack flavor create m1.tiny --vcpus 1 --ram 128 --disk 1
  fi

  check "project demo" openstack project create demo
  check "member alice" openstack user create alice --password "$member_password"
  check "alice is a member of demo" openstack role add --project demo --user alice member
  check "project demo2" openstack project create demo2
  check "alice is a member of demo2" openstack role add --project demo2 --user alice member
  check "flavor m1.small" openstack flavor create m1.small --vcpus 1 --ram 192 --disk 1
  if [ "${DASH_OBJECT_STORAGE:-0}" = 1 ]; then deploy_object_storage; fi
  check "external network public" openstack network create public --external
  check "its subnet" openstack subnet create public-subnet --network public \
    --subnet-range 203.0.113.0/24

  dash_port=$(free_port)
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[dashboard]
host = 127.0.0.1
rest_port = $dash_port
identity_url = http://127.0.0.1:$rest_port
session_file = $E2E_DIR/dashboard-sessions
CONF
  start_dashboard
}

# start_dashboard: gureum-dashboard from $E2E_DIR/gureum.conf, its pid in dash_pid.
start_dashboard() {
  "$GUREUM_BUILD_DIR/dashboard/gureum-dashboard" --config-file "$E2E_DIR/gureum.conf" \
    >>"$E2E_DIR/dashboard.stdout" 2>&1 &
  dash_pid=$!
  E2E_PIDS+=("$dash_pid")
  wait_http "http://127.0.0.1:$dash_port/"
}
