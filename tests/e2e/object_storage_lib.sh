# Helpers for the object storage end-to-end test and benchmark (sourced after lib.sh and
# deploy_identity).
#
# deploy_object_storage: a 3-device ring (three zones, 2^8 partitions, three replicas)
# built with gureum-manage, three gureum-object-server processes (one device each, on
# 127.0.0.2-4 and free ports), a gureum-object-proxy verifying tokens with identity's keys,
# and the catalog's object-store endpoints pointed at it. Sets ring, obj_ports, obj_pids
# and proxy_port; exports OS_AUTH_VERSION=3 for the swift client. OBJECT_PROXY_SERVICE_AUTH,
# when set, is added to the proxy's [service_auth] (a service user: the S3 API reads EC2
# secrets with it).
# start_object_proxy: a gureum-object-proxy on 127.0.0.1 and a free port (proxy_port) placing
# objects by $ring, verifying tokens with identity's keys, and the catalog's object-store
# endpoints pointed at it.
start_object_proxy() {
  proxy_port=$(free_port)
  cat >"$E2E_DIR/object-proxy.conf" <<CONF
[DEFAULT]
transport_url = $GUREUM_TEST_AMQP_URL
log_dir = $E2E_DIR
[object_proxy]
host = 127.0.0.1
rest_port = $proxy_port
ring_file = $ring
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
${OBJECT_PROXY_SERVICE_AUTH:-}
CONF
  "$GUREUM_BUILD_DIR/object-storage/proxy/gureum-object-proxy" \
    --config-file "$E2E_DIR/object-proxy.conf" >"$E2E_DIR/object-proxy.stdout" 2>&1 &
  E2E_PIDS+=($!)
  wait_http "http://127.0.0.1:$proxy_port/info"
  check "point the object-store endpoints at the proxy" \
    set_endpoints object-store "http://127.0.0.1:$proxy_port/v1/AUTH_\$(project_id)s"
}

deploy_object_storage() {
  export OS_AUTH_VERSION=3
  # The ring: 2^8 partitions, three replicas, one device per zone.
  ring=$E2E_DIR/object.ring
  obj_manage() { "$GUREUM_BUILD_DIR/cli/gureum-manage" object ring "$@"; }
  check "ring create" obj_manage create "$ring" --part-power 8 --replicas 3
  obj_ports=()
  for i in 1 2 3; do
    obj_ports+=("$(free_port)")
    check "ring add device $i" obj_manage add "$ring" --region 1 --zone "$i" \
      --ip "127.0.0.$((i + 1))" --port "${obj_ports[$((i - 1))]}" --device "sd$i" --weight 100
  done
  check "ring rebalance" obj_manage rebalance "$ring"
  grep -q "768 partition replicas moved" "$E2E_DIR/out" || fail "rebalance: $(cat "$E2E_DIR/out")"
  check "ring show" obj_manage show "$ring"

  # Three object servers, one device each.
  obj_pids=()
  for i in 1 2 3; do
    mkdir -p "$E2E_DIR/node$i/sd$i"
    cat >"$E2E_DIR/object-server-$i.conf" <<CONF
[DEFAULT]
log_dir = $E2E_DIR
[object_server]
host = 127.0.0.$((i + 1))
rest_port = ${obj_ports[$((i - 1))]}
devices = $E2E_DIR/node$i
${OBJECT_SERVER_EXTRA:-}
CONF
    "$GUREUM_BUILD_DIR/object-storage/server/gureum-object-server" \
      --config-file "$E2E_DIR/object-server-$i.conf" >"$E2E_DIR/object-server-$i.stdout" 2>&1 &
    obj_pids+=($!)
    E2E_PIDS+=($!)
    wait_http "http://127.0.0.$((i + 1)):${obj_ports[$((i - 1))]}/healthz"
  done

  start_object_proxy
}
