# Helpers for the compute end-to-end tests (sourced after lib.sh, image_lib.sh,
# deploy_identity and deploy_image).
#
# deploy_compute_controller ADMIN_PASSWORD: the services' own user (bootstrap again with
#   [service_auth]), fresh gureum_scheduler and gureum_compute databases, gureum-scheduler
#   and gureum-compute-api on free ports, the catalog's compute and placement endpoints
#   pointed at them. Sets sched_grpc_port, sched_rest_port, capi_rest_port,
#   capi_grpc_port (kept when set before); exports OS_COMPUTE_GRPC.
# start_sim_agent NAME [extra [compute] lines]: a gureum-compute-agent for simulated host
#   NAME on libvirt's test:///default driver (4 vCPUs, 2.5 GiB, 40 GiB unless overridden),
#   heartbeating every second. Its pid is in sim_agent_pid[NAME].
# stop_sim_agent NAME: SIGTERM, and wait.
# start_qemu_agent HOST MY_IP: a gureum-compute-agent for HOST booting real QEMU guests on
#   $uri (qemu:///system), instances under $E2E_DIR/instances, volumes through block storage
#   when bs_grpc_port is set, more [compute] lines in QEMU_AGENT_EXTRA_CONF; its config in
#   $E2E_DIR/compute-agent.conf; waits for it up. run_qemu_agent starts it (again) from that
#   config, its pid in compute_agent_pid.
# remove_qemu_test_leftovers: for a test's EXIT trap: stops the volume agent (it would
#   restart the exports) and the test's exports, and destroys every libvirt domain whose XML
#   names $E2E_DIR, whatever happened to the test.
# upload_tiny_image: tests/images/build-tiny.sh's kernel, initrd and disk as public images
#   (tiny-kernel, tiny-initrd, tiny with their ids as properties) and flavor m1.tiny.
SERVICE_PASSWORD=${SERVICE_PASSWORD:-svc-$(openssl rand -hex 8)}
declare -A sim_agent_pid=()

deploy_compute_controller() {
  local admin_password=$1 db
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $SERVICE_PASSWORD
project_name = service
CONF
  check "bootstrap the services' user" manage identity bootstrap \
    --admin-password "$admin_password" --identity-url "http://127.0.0.1:$rest_port/v3"
  # Bootstrap pointed the catalog back at the default ports: the image service again.
  set_endpoints image "http://127.0.0.1:$image_rest_port"
  for db in gureum_scheduler gureum_compute; do
    psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
      -c "CREATE DATABASE $db" 2>/dev/null
  done
  sched_grpc_port=$(free_port)
  sched_rest_port=$(free_port)
  capi_rest_port=$(free_port)
  capi_grpc_port=${capi_grpc_port:-$(free_port)}  # chosen before, when block storage needs it
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[scheduler]
host = 127.0.0.1
grpc_port = $sched_grpc_port
rest_port = $sched_rest_port
compute_api_grpc = 127.0.0.1:$capi_grpc_port
host_state_refresh = 0.5s
${SCHEDULER_EXTRA_CONF:-}
[compute]
host = 127.0.0.1
rest_port = $capi_rest_port
grpc_port = $capi_grpc_port
image_grpc = 127.0.0.1:$image_grpc_port
placement_grpc = 127.0.0.1:$sched_grpc_port
service_down_time = ${SERVICE_DOWN_TIME:-6}s
${COMPUTE_EXTRA_CONF:-}
CONF
  check "db sync scheduler" manage db sync scheduler
  check "db sync compute" manage db sync compute
  "$GUREUM_BUILD_DIR/compute/api/gureum-compute-api" --config-file "$E2E_DIR/gureum.conf" \
    >"$E2E_DIR/compute-api.stdout" 2>&1 &
  E2E_PIDS+=($!)
  "$GUREUM_BUILD_DIR/scheduler/gureum-scheduler" --config-file "$E2E_DIR/gureum.conf" \
    >"$E2E_DIR/scheduler.stdout" 2>&1 &
  E2E_PIDS+=($!)
  wait_http "http://127.0.0.1:$capi_rest_port/"
  wait_port "$sched_grpc_port"
  set_endpoints compute "http://127.0.0.1:$capi_rest_port/v2.1"
  if curl -s -o /dev/null "http://127.0.0.1:$sched_rest_port/"; then
    set_endpoints placement "http://127.0.0.1:$sched_rest_port"
  fi
  export OS_COMPUTE_GRPC="127.0.0.1:$capi_grpc_port"
}

# wait_port PORT: polls until something listens on 127.0.0.1:PORT, up to 30 s.
wait_port() {
  local i
  for i in $(seq 1 300); do
    [ -n "$(ss -Hltn "sport = :$1")" ] && return 0
    sleep 0.1
  done
  fail "nothing listens on port $1"
}

start_sim_agent() {
  local name=$1; shift
  local dir=$E2E_DIR/hosts/$name
  mkdir -p "$dir/instances"
  cat >"$dir/gureum.conf" <<CONF
[DEFAULT]
host = $name
my_ip = 127.0.0.1
transport_url = $GUREUM_TEST_AMQP_URL
log_dir = $dir
[compute]
connection_uri = test:///default
virt_type = qemu
instances_path = $dir/instances
placement_grpc = 127.0.0.1:$sched_grpc_port
image_grpc = 127.0.0.1:$image_grpc_port
report_interval = 1
console_interval = 5
reserved_host_memory_mb = 0
vcpus = 4
memory_mb = 2560
disk_gb = 40
kvm_probe_kernel = /nonexistent
$(printf '%s\n' "$@")
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $SERVICE_PASSWORD
project_name = service
CONF
  "$GUREUM_BUILD_DIR/compute/agent/gureum-compute-agent" --config-file "$dir/gureum.conf" \
    >"$dir/agent.stdout" 2>&1 &
  sim_agent_pid[$name]=$!
  E2E_PIDS+=($!)
}

stop_sim_agent() {
  local pid=${sim_agent_pid[$1]}
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

drop_compute_databases() {
  local db
  for db in gureum_compute gureum_scheduler; do
    psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  done
}

start_qemu_agent() {
  local host=$1 my_ip=$2
  mkdir -p "$E2E_DIR/instances"
  cat >"$E2E_DIR/compute-agent.conf" <<CONF
[DEFAULT]
host = $host
my_ip = $my_ip
transport_url = $GUREUM_TEST_AMQP_URL
[compute]
connection_uri = ${uri:-qemu:///system}
virt_type = qemu
kvm_probe_kernel = /nonexistent
instances_path = $E2E_DIR/instances
placement_grpc = 127.0.0.1:$sched_grpc_port
image_grpc = 127.0.0.1:$image_grpc_port
block_storage_grpc = ${bs_grpc_port:+127.0.0.1:$bs_grpc_port}
volume_detach_timeout = 60
${QEMU_AGENT_EXTRA_CONF:-}
report_interval = 1
console_interval = 1
reserved_host_memory_mb = 0
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $SERVICE_PASSWORD
project_name = service
CONF
  run_qemu_agent
  WAIT_POLL=0.5 wait_until 60 "the compute agent reports its host up" host_is "$host" "enabled up"
}

run_qemu_agent() {
  "$GUREUM_BUILD_DIR/compute/agent/gureum-compute-agent" \
    --config-file "$E2E_DIR/compute-agent.conf" >>"$E2E_DIR/compute-agent.stdout" 2>&1 &
  compute_agent_pid=$!
  E2E_PIDS+=("$compute_agent_pid")
}

remove_qemu_test_leftovers() {
  set +e  # all of it, whatever fails
  local d xml
  [ -z "${volume_agent_pid:-}" ] || { kill "$volume_agent_pid"; wait "$volume_agent_pid"; } 2>/dev/null
  for d in "$E2E_DIR"/volume-agent/exports/*.pid; do
    [ -f "$d" ] && kill "$(cat "$d")" 2>/dev/null
  done
  for d in $(virsh -c "${uri:-qemu:///system}" list --all --uuid 2>/dev/null); do
    # Read whole first: grep -q stopping early fails virsh's write, and pipefail the test.
    xml=$(virsh -c "${uri:-qemu:///system}" dumpxml "$d" 2>/dev/null) || continue
    [[ "$xml" == *"$E2E_DIR"* ]] || continue
    virsh -c "${uri:-qemu:///system}" destroy "$d" >/dev/null 2>&1 || true
    virsh -c "${uri:-qemu:///system}" undefine "$d" >/dev/null 2>&1 || true
  done
}

upload_tiny_image() {
  local tiny=$GUREUM_BUILD_DIR/tiny-image
  check "build the tiny image" "$E2E_REPO/tests/images/build-tiny.sh" "$tiny"
  check "upload tiny-kernel" openstack image create tiny-kernel --disk-format aki \
    --container-format aki --file "$tiny/tiny-kernel" --public
  check "upload tiny-initrd" openstack image create tiny-initrd --disk-format ari \
    --container-format ari --file "$tiny/tiny-initrd" --public
  check "upload tiny" openstack image create tiny --disk-format raw --container-format bare \
    --file "$tiny/tiny-disk.raw" --public \
    --property kernel_id="$(openstack image show tiny-kernel -f value -c id)" \
    --property ramdisk_id="$(openstack image show tiny-initrd -f value -c id)"
  check "flavor m1.tiny" openstack flavor create m1.tiny --vcpus 1 --ram 128 --disk 1
}
