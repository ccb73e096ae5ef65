# Helpers for the end-to-end tests of block storage (sourced after lib.sh and
# deploy_identity).
#
# deploy_service_user ADMIN_PASSWORD: the services' own user (bootstrap again with
# [service_auth]), so the volume agent can download images; the catalog's image endpoints
# pointed back at the test's image service.
SERVICE_PASSWORD=${SERVICE_PASSWORD:-svc-$(openssl rand -hex 8)}
deploy_service_user() {
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $SERVICE_PASSWORD
project_name = service
CONF
  check "bootstrap the services' user" manage identity bootstrap \
    --admin-password "$1" --identity-url "http://127.0.0.1:$rest_port/v3"
  set_endpoints image "http://127.0.0.1:$image_rest_port"
}

# deploy_block_storage: a fresh gureum_block_storage database, the [block_storage] section
# appended to the test's gureum.conf, db sync, gureum-block-storage on free ports, the
# catalog's volumev3 and block-storage endpoints pointed at it. Sets bs_rest_port,
# bs_grpc_port.
deploy_block_storage() {
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS gureum_block_storage WITH (FORCE)" \
    -c "CREATE DATABASE gureum_block_storage" 2>/dev/null
  bs_rest_port=$(free_port)
  bs_grpc_port=$(free_port)
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[block_storage]
host = 127.0.0.1
rest_port = $bs_rest_port
grpc_port = $bs_grpc_port
service_down_time = ${BS_SERVICE_DOWN_TIME:-60}
export_timeout = 30
image_grpc = 127.0.0.1:${image_grpc_port:-19292}
compute_grpc = ${BS_COMPUTE_GRPC:-}
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
CONF
  check "db sync block_storage" manage db sync block_storage
  "$GUREUM_BUILD_DIR/block-storage/api/gureum-block-storage" \
    --config-file "$E2E_DIR/gureum.conf" >"$E2E_DIR/block-storage.stdout" 2>&1 &
  E2E_PIDS+=($!)
  wait_http "http://127.0.0.1:$bs_rest_port/"
  check "point the volume endpoints at the test port" \
    set_endpoints volumev3 "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
  check "point the block-storage endpoints at the test port" \
    set_endpoints block-storage "http://127.0.0.1:$bs_rest_port/v3/\$(project_id)s"
  export OS_VOLUME_GRPC="127.0.0.1:$bs_grpc_port"
}

# start_volume_agent: gureum-volume-agent of this host with one file backend ("file") under
# $E2E_DIR/volumes, exports on 127.0.0.1 (its own config file, so it can be restarted).
# Sets volume_agent_pid, volume_dir.
start_volume_agent() {
  volume_dir=$E2E_DIR/volumes
  mkdir -p "$volume_dir"
  if [ ! -f "$E2E_DIR/agent.conf" ]; then
    local port_min
    port_min=$(free_port)
    cat "$E2E_DIR/gureum.conf" >"$E2E_DIR/agent.conf"
    cat >>"$E2E_DIR/agent.conf" <<CONF
[volume]
backends = file:$volume_dir
export_address = 127.0.0.1
export_port_min = $port_min
export_port_max = $((port_min + 50))
state_dir = $E2E_DIR/volume-agent
report_interval = 1
image_grpc = 127.0.0.1:${image_grpc_port:-19292}
CONF
  fi
  "$GUREUM_BUILD_DIR/block-storage/agent/gureum-volume-agent" \
    --config-file "$E2E_DIR/agent.conf" >>"$E2E_DIR/volume-agent.stdout" 2>&1 &
  volume_agent_pid=$!
  E2E_PIDS+=("$volume_agent_pid")
}

# cinder_token: a token of the OS_* user for the polls and the attachment calls below
# (the openstack client costs about 1.3 CPU-seconds a call; curl nothing). Sets bs_token,
# bs_project.
cinder_token() {
  bs_token=$(openstack token issue -f value -c id)
  bs_project=$(openstack token issue -f value -c project_id)
}
# cinder METHOD PATH [JSON]: the Cinder API at microversion 3.44 with bs_token; the body
# of the answer on stdout, the HTTP status in $E2E_DIR/http_status.
cinder() {
  curl -s -X "$1" -H "X-Auth-Token: $bs_token" -H "Content-Type: application/json" \
    -H "OpenStack-API-Version: volume 3.44" -w '%{http_code}' -o "$E2E_DIR/cinder.json" \
    ${3:+-d "$3"} "http://127.0.0.1:$bs_rest_port/v3/$bs_project$2" >"$E2E_DIR/http_status"
  cat "$E2E_DIR/cinder.json"
}
# json_field KEY.PATH: a field of $E2E_DIR/cinder.json ("volume.status").
json_field() {
  python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[int(k)] if k.isdigit() else v[k]
print(v)' "$E2E_DIR/cinder.json" "$1"
}
volume_is() { cinder GET "/volumes/$1" >/dev/null && [ "$(json_field volume.status)" = "$2" ]; }
snapshot_is() { cinder GET "/snapshots/$1" >/dev/null && [ "$(json_field snapshot.status)" = "$2" ]; }

drop_block_storage_database() {
  psql -q "$GUREUM_TEST_PG_URI" \
    -c "DROP DATABASE IF EXISTS gureum_block_storage WITH (FORCE)" || true
}

# Exports are qemu-storage-daemon processes the agent daemonizes (they outlive it on
# purpose): a test that fails half-way must not leave them running.
trap 'pkill -f "$E2E_DIR/volume" 2>/dev/null || true; e2e_cleanup' EXIT
