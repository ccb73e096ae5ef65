#!/usr/bin/env bash
# End to end: `openstack image create --volume` (Cinder's os-volume_upload_image) against
# gureum-block-storage, a real gureum-volume-agent (qemu-img, qemu-storage-daemon) and
# gureum-image: a volume holding a known pattern becomes an active image owned by the
# user's project whose bytes (raw, saved with `openstack image save`) and checksum are the
# volume's, or a qcow2 image of the same disk; the volume is available again; an in-use
# volume is refused without --force (400) and uploaded with it while its export serves;
# a volume from an image carries the image's properties over; a volume the agent cannot
# read leaves the image killed and the volume available.
source "$(dirname "$0")/../../../tests/e2e/lib.sh"
source "$(dirname "$0")/../../../tests/e2e/image_lib.sh"
source "$(dirname "$0")/../../../tests/e2e/block_storage_lib.sh"

deploy_identity 'S3cret!admin'
deploy_image
deploy_service_user 'S3cret!admin'
deploy_block_storage
start_volume_agent
cinder_token
value() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$E2E_DIR/out" "$1"; }
image_is() { [ "$(gureum_cli image show "$1" -f value -c status)" = "$2" ]; }

wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c Host -c State | grep -q '@file up'"

check "volume create" openstack volume create --size 1 up1 -f json
up1=$(value id)
wait_until 60 "up1 available" volume_is "$up1" available
vol_file=$volume_dir/volume-$up1.qcow2
check "a pattern into the volume" qemu-io -f qcow2 -c "write -P 0x5a 0 1M" \
  -c "write -P 0xa5 300M 64k" "$vol_file"
check "the volume's data as raw" qemu-img convert -f qcow2 -O raw "$vol_file" "$E2E_DIR/up1.raw"

# Raw (the default): the image's bytes are the volume's.
check "image create --volume" openstack image create --volume up1 img-from-vol -f json
image1=$(value image_id)
[ "$(value status)" = uploading ] || fail "the answer's status: $(cat "$E2E_DIR/out")"
[ "$(value disk_format)" = raw ] || fail "disk_format: $(cat "$E2E_DIR/out")"
wait_until 120 "the image is active" image_is "$image1" active
wait_until 30 "up1 available again" volume_is "$up1" available
check "image show" openstack image show "$image1" -f json
[ "$(value size)" = 1073741824 ] || fail "image size: $(value size)"
[ "$(value checksum)" = "$(md5sum <"$E2E_DIR/up1.raw" | cut -d' ' -f1)" ] ||
  fail "the image's checksum is not the volume data's md5"
[ "$(value owner)" = "$bs_project" ] || fail "owner $(value owner), not the user's $bs_project"
check "image save" openstack image save --file "$E2E_DIR/saved.raw" "$image1"
check "the saved image is the volume's data byte for byte" cmp "$E2E_DIR/up1.raw" "$E2E_DIR/saved.raw"
rm -f "$E2E_DIR/saved.raw"

# qcow2: the same disk, in qcow2.
check "image create --volume --disk-format qcow2" openstack image create --volume up1 \
  --disk-format qcow2 img-qcow2 -f json
image2=$(value image_id)
wait_until 120 "the qcow2 image is active" image_is "$image2" active
wait_until 30 "up1 available again" volume_is "$up1" available
check "image save (qcow2)" openstack image save --file "$E2E_DIR/saved.qcow2" "$image2"
check "the qcow2 image holds the volume's disk" qemu-img compare -f raw -F qcow2 \
  "$E2E_DIR/up1.raw" "$E2E_DIR/saved.qcow2"
rm -f "$E2E_DIR/saved.qcow2"

# Cinder's 202 body at 3.44 (protected and visibility from 3.1), as Tempest's schema has it.
cinder POST "/volumes/$up1/action" '{"os-volume_upload_image": {"image_name": "shape",
  "disk_format": "qcow2", "visibility": "shared", "protected": false}}' >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 202 ] || fail "upload: $(cat "$E2E_DIR/cinder.json")"
check "the 202 body's shape" python3 -c 'import json,sys
u = json.load(open(sys.argv[1]))["os-volume_upload_image"]
want = {"id", "updated_at", "status", "display_description", "size", "volume_type", "image_id",
        "container_format", "disk_format", "image_name", "protected", "visibility"}
assert set(u) == want, sorted(set(u) ^ want)
assert u["id"] == sys.argv[2] and u["status"] == "uploading" and u["size"] == 1, u
assert u["volume_type"]["name"] == "__DEFAULT__" and u["image_name"] == "shape", u
assert u["disk_format"] == "qcow2" and u["container_format"] == "bare", u
assert u["visibility"] == "shared" and u["protected"] is False, u' "$E2E_DIR/cinder.json" "$up1"
shape_image=$(json_field os-volume_upload_image.image_id)
wait_until 60 "that image is active" image_is "$shape_image" active
wait_until 30 "up1 available again" volume_is "$up1" available

# Bad input is Cinder's 400.
cinder POST "/volumes/$up1/action" '{"os-volume_upload_image": {"image_name": "x", "disk_format": "iso"}}' >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 400 ] || fail "disk_format iso: $(cat "$E2E_DIR/http_status")"
cinder POST "/volumes/$up1/action" '{"os-volume_upload_image": {"disk_format": "raw"}}' >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 400 ] || fail "no image_name: $(cat "$E2E_DIR/http_status")"
check "up1 still available" volume_is "$up1" available

# In use: 400 without --force; with it, uploaded while the export serves.
server=11111111-2222-4333-8444-555555555555
cinder POST /attachments "{\"attachment\": {\"volume_uuid\": \"$up1\", \"instance_uuid\": \"$server\",
  \"connector\": {\"host\": \"compute1\", \"ip\": \"127.0.0.1\"}}}" >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 200 ] || fail "attachment create: $(cat "$E2E_DIR/cinder.json")"
att=$(json_field attachment.id)
cinder POST "/attachments/$att/action" '{"os-complete": {}}' >/dev/null
wait_until 10 "up1 in-use" volume_is "$up1" in-use
check_fails "an in-use volume without --force" openstack image create --volume up1 img-in-use
grep -q "status must be available" "$E2E_DIR/err" || fail "400 text: $(cat "$E2E_DIR/err")"
cinder POST "/volumes/$up1/action" '{"os-volume_upload_image": {"image_name": "x"}}' >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 400 ] || fail "in-use upload: $(cat "$E2E_DIR/http_status")"
check "image create --volume --force of the in-use volume" openstack image create --volume up1 \
  --force --disk-format qcow2 img-forced -f json
image3=$(value image_id)
wait_until 120 "the forced image is active" image_is "$image3" active
wait_until 30 "up1 in-use again" volume_is "$up1" in-use
cinder DELETE "/attachments/$att" >/dev/null
wait_until 20 "up1 available after detach" volume_is "$up1" available

# A volume from an image carries the image's own properties over to its upload.
check "a small image with a property" qemu-img create -q -f qcow2 "$E2E_DIR/small.qcow2" 64M
check "image create" openstack image create --file "$E2E_DIR/small.qcow2" --disk-format qcow2 \
  --container-format bare --property os_distro=gureumos small -f json
check "volume create --image" openstack volume create --image small --size 1 up2 -f json
up2=$(value id)
wait_until 60 "up2 available" volume_is "$up2" available
check "image create --volume up2" openstack image create --volume up2 --disk-format qcow2 \
  img-from-up2 -f json
image4=$(value image_id)
wait_until 120 "its image is active" image_is "$image4" active
check "image show" openstack image show "$image4" -f json
grep -q "gureumos" "$E2E_DIR/out" || fail "os_distro not carried over: $(cat "$E2E_DIR/out")"

# A volume the agent cannot read: the image is killed, the volume available again, and the
# API's log says why.
check "volume create up3" openstack volume create --size 1 up3 -f json
up3=$(value id)
wait_until 60 "up3 available" volume_is "$up3" available
printf 'not a qcow2 file' >"$volume_dir/volume-$up3.qcow2"
check "image create --volume up3" openstack image create --volume up3 bad-image -f json
image5=$(value image_id)
wait_until 60 "the image of the failed upload is killed" image_is "$image5" killed
wait_until 30 "up3 available again" volume_is "$up3" available
check "the API's log says why" grep -q "volume $up3: the agent failed upload_volume" \
  "$E2E_DIR/block_storage.log"

[ -z "$(ls -A "$E2E_DIR/volume-agent/uploads")" ] || fail "scratch files left behind"
check "volume delete" openstack volume delete up1 up2 up3
wait_until 60 "volumes gone" sh -c "[ -z \"\$(openstack volume list -f value -c ID)\" ]"
drop_block_storage_database
drop_image_database
drop_identity_database
