# Helpers for the image end-to-end tests (sourced after lib.sh and deploy_identity).
#
# deploy_image: a fresh gureum_image database, the [image] and [service_auth] sections
# appended to the test's gureum.conf, db sync, gureum-image running on free ports, and the
# catalog's image endpoints pointed at it (bootstrap registered http://HOST:9292). Sets
# image_rest_port, image_grpc_port, image_pid, image_dir; exports OS_IMAGE_GRPC.
deploy_image() {
  local db=gureum_image
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "CREATE DATABASE $db" 2>/dev/null
  image_rest_port=$(free_port)
  image_grpc_port=$(free_port)
  image_dir=$E2E_DIR/images
  cat >>"$E2E_DIR/gureum.conf" <<CONF
[image]
host = 127.0.0.1
rest_port = $image_rest_port
grpc_port = $image_grpc_port
filesystem_store_datadir = $image_dir
${IMAGE_EXTRA_CONF:-}
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
CONF
  check "db sync image" manage db sync image
  "$GUREUM_BUILD_DIR/image/gureum-image" --config-file "$E2E_DIR/gureum.conf" \
    >"$E2E_DIR/image.stdout" 2>&1 &
  image_pid=$!
  E2E_PIDS+=("$image_pid")
  wait_http "http://127.0.0.1:$image_rest_port/"
  check "point the image endpoints at the test port" \
    set_endpoints image "http://127.0.0.1:$image_rest_port"
  export OS_IMAGE_GRPC="127.0.0.1:$image_grpc_port"
}

drop_image_database() {
  psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS gureum_image WITH (FORCE)" || true
}
