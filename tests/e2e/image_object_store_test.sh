#!/usr/bin/env bash
# End to end (issue 19): the image service keeping its data in object storage
# ([image] store = object), as Glance's swift store does. identity, a proxy and three object
# servers (object_storage_lib.sh), gureum-image with 1 MiB segments; then through the
# official client: a 3.5 MiB image uploads as four segments and a manifest in the service
# account's container "glance", downloads with the same sha512 (through gRPC too), a swift
# client reading the manifest gets the same bytes, a small image is one object, and deleting
# the images removes their objects. Nothing is staged on the image service's disk. A server
# boots from an image kept in object storage (scheduler, compute-api and a compute agent on
# libvirt's test:///default, compute_lib.sh), with the image's objects read by the agent's
# download through the image service.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/image_lib.sh"
source "$(dirname "$0")/object_storage_lib.sh"
source "$(dirname "$0")/compute_lib.sh"
trap 'drop_compute_databases; drop_image_database; drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'S3cret!admin'
deploy_object_storage
# The image service's own user (bootstrap makes it from [service_auth]); compute_lib.sh's
# services use the same user and password.
service_password=$SERVICE_PASSWORD
cat >>"$E2E_DIR/gureum.conf" <<CONF
[service_auth]
identity_grpc = 127.0.0.1:$grpc_port
username = gureum
password = $service_password
project_name = service
CONF
check "bootstrap the services' user" manage identity bootstrap --admin-password 'S3cret!admin' \
  --identity-url "http://127.0.0.1:$rest_port/v3"
check "object-store endpoints back at the test proxy" \
  set_endpoints object-store "http://127.0.0.1:$proxy_port/v1/AUTH_\$(project_id)s"
IMAGE_EXTRA_CONF="store = object
object_store_url = http://127.0.0.1:$proxy_port
object_store_segment_size = 1" deploy_image

as_service() {
  env OS_USERNAME=gureum OS_PASSWORD="$service_password" OS_PROJECT_NAME=service "$@"
}
glance_objects() { as_service swift list glance | paste -sd' ' -; }

src=$E2E_DIR/big.img
head -c $((3 * 1024 * 1024 + 512 * 1024)) /dev/urandom >"$src"
want=$(sha512sum "$src" | cut -d' ' -f1)
check "openstack image create --file (3.5 MiB)" openstack image create --file "$src" \
  --disk-format raw --container-format bare e2e-big -f value -c id
big=$(cat "$E2E_DIR/out")
check "the image is active" bash -c "openstack image show e2e-big -f value -c status | grep -qx active"
check "swift list glance (as the service user)" glance_objects
[ "$(cat "$E2E_DIR/out")" = "$big $big-00001 $big-00002 $big-00003 $big-00004" ] ||
  fail "glance container: $(cat "$E2E_DIR/out")"
echo "ok: four 1 MiB segments and a manifest in the service account's container"
[ -z "$(ls -A "$image_dir" 2>/dev/null)" ] || fail "image data on the service's disk: $(ls "$image_dir")"

check "openstack image save" openstack image save --file "$E2E_DIR/down.img" e2e-big
[ "$(sha512sum "$E2E_DIR/down.img" | cut -d' ' -f1)" = "$want" ] || fail "image save: sha512 differs"
check "gureum image save (gRPC)" "$GUREUM_BUILD_DIR/cli/gureum" image save e2e-big \
  --file "$E2E_DIR/down-grpc.img"
cmp -s "$src" "$E2E_DIR/down-grpc.img" || fail "gureum image save differs"
check "swift download the manifest" as_service swift download glance "$big" -o "$E2E_DIR/down-swift.img"
cmp -s "$src" "$E2E_DIR/down-swift.img" || fail "the manifest's bytes differ"
echo "ok: the image downloads byte for byte (REST, gRPC, and swift through the manifest)"

head -c 100000 /dev/urandom >"$E2E_DIR/small.img"
check "a small image" openstack image create --file "$E2E_DIR/small.img" --disk-format raw \
  --container-format bare e2e-small -f value -c id
small=$(cat "$E2E_DIR/out")
check "swift list glance --prefix" as_service swift list glance --prefix "$small"
[ "$(cat "$E2E_DIR/out")" = "$small" ] || fail "small image objects: $(cat "$E2E_DIR/out")"
check "openstack image save (small)" openstack image save --file "$E2E_DIR/small-down.img" e2e-small
cmp -s "$E2E_DIR/small.img" "$E2E_DIR/small-down.img" || fail "the small image differs"

# A server boots from the small image (the compute agent downloads it through the image
# service, which reads it from object storage).
deploy_compute_controller 'S3cret!admin'
check "object-store endpoints back at the test proxy (after bootstrap)" \
  set_endpoints object-store "http://127.0.0.1:$proxy_port/v1/AUTH_\$(project_id)s"
start_sim_agent e2e-obj-host
WAIT_POLL=0.3 wait_until 30 "the agent reports its host up" host_is e2e-obj-host "enabled up"
check "flavor create" openstack flavor create m1.tiny --ram 256 --vcpus 1 --disk 1
check "server create --wait (image in object storage)" timeout 120 openstack server create \
  --image e2e-small --flavor m1.tiny --wait vm1
check "the server is ACTIVE" bash -c "openstack server show vm1 -f value -c status | grep -qx ACTIVE"
check "server delete --wait" openstack server delete --wait vm1
echo "ok: a server boots from an image kept in object storage"

check "openstack image delete" openstack image delete e2e-big e2e-small
wait_until 15 "the images' objects are gone" bash -c '[ -z "$(env OS_USERNAME=gureum OS_PASSWORD='"$service_password"' OS_PROJECT_NAME=service swift list glance)" ]'
echo "PASS: images in object storage ($pass_count checks)"
