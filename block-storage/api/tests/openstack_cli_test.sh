#!/usr/bin/env bash
# End to end: the Debian python3-openstackclient against gureum-block-storage and a real
# gureum-volume-agent (real identity, PostgreSQL, RabbitMQ, qemu-img, qemu-storage-daemon):
# volume create/list/show/set (extend, properties, bootable, read-only)/delete, snapshots
# and volumes from them, clones, types that pick the backend, the services list, quotas;
# an attachment whose NBD export a client writes through, the data surviving detach,
# re-attach and a restart of the agent; the 4xx answers of bad input and states; another
# project seeing nothing.
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

wait_until 30 "the volume agent's backend is up" \
  sh -c "openstack volume service list -f value -c Host -c State | grep -q '@file up'"
# The API's own shapes, as Tempest's schemas check them (Tempest itself runs outside
# ./tests/run.sh: tests/e2e/block_storage_tempest_run.sh).
status_is() { [ "$(cat "$E2E_DIR/http_status")" = "$1" ] || fail "$2: HTTP $(cat "$E2E_DIR/http_status") $(cat "$E2E_DIR/cinder.json")"; }
check "version documents" sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$bs_rest_port/ | grep -qx 300 &&
  curl -s http://127.0.0.1:$bs_rest_port/v3 | grep -q '\"version\": *\"3.70\"\|\"version\":\"3.70\"'"
check "a microversion past 3.70 is 406" sh -c "curl -s -o /dev/null -w '%{http_code}' \
  -H 'X-Auth-Token: $bs_token' -H 'OpenStack-API-Version: volume 3.99' \
  http://127.0.0.1:$bs_rest_port/v3/$bs_project/volumes | grep -qx 406"
cinder POST /volumes '{"volume": {"size": 1, "name": "shape"}}' >/dev/null
status_is 202 "create"
grep -q 'os-vol-tenant-attr' "$E2E_DIR/cinder.json" && fail "create answers with extension attributes"
shape=$(json_field volume.id)
cinder GET "/volumes/$shape" >/dev/null
grep -q '"os-vol-tenant-attr:tenant_id"' "$E2E_DIR/cinder.json" || fail "show lacks os-vol-tenant-attr"
cinder GET /volumes/ >/dev/null
status_is 404 "GET /volumes/ without an id"
cinder POST /volumes '{"volume": {"size": 0}}' >/dev/null
status_is 400 "size 0"
cinder POST /volumes '{"volume": {"size": "12abc"}}' >/dev/null
status_is 400 "size 12abc"
cinder POST /snapshots '{"snapshot": {"volume_id": null}}' >/dev/null
status_is 404 "a snapshot of no volume"
cinder GET "/scheduler-stats/get_pools?detail=true" >/dev/null
status_is 200 "pools"
pool=$(json_field pools.0.name)
cinder GET "/capabilities/$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$pool")" >/dev/null
status_is 200 "capabilities of $pool"
[ "$(json_field volume_backend_name)" = file ] || fail "capabilities: $(cat "$E2E_DIR/cinder.json")"
cinder PUT /os-quota-class-sets/default '{"quota_class_set": {"snapshots": 20}}' >/dev/null
status_is 200 "quota class update"
cinder GET "/os-quota-sets/$bs_project/defaults" >/dev/null
[ "$(json_field quota_set.snapshots)" = 20 ] || fail "defaults after the class update: $(cat "$E2E_DIR/cinder.json")"
cinder DELETE "/volumes/$shape" >/dev/null
status_is 202 "delete"

check "volume create" openstack volume create --size 1 --description first vol1 -f json
vol1=$(value id)
wait_until 60 "vol1 available" volume_is "$vol1" available
[ -f "$volume_dir/volume-$vol1.qcow2" ] || fail "no qcow2 file for vol1 in $volume_dir"
check "volume list" openstack volume list -f value -c Name
grep -qx vol1 "$E2E_DIR/out" || fail "volume list lacks vol1"
check "volume show" openstack volume show vol1 -f json
[ "$(value size)" = 1 ] || fail "size is not 1"

check "gureum volume list (gRPC)" gureum_cli volume list -f value -c Name
grep -qx vol1 "$E2E_DIR/out" || fail "gureum volume list lacks vol1"
check "gureum volume create" gureum_cli volume create --size 1 clivol -f json
clivol=$(value id)
wait_until 60 "clivol available" volume_is "$clivol" available
check "gureum volume show" gureum_cli volume show clivol -f value -c status
grep -qx available "$E2E_DIR/out" || fail "gureum volume show: $(cat "$E2E_DIR/out")"
check "gureum volume delete" gureum_cli volume delete clivol
check_fails "gureum volume show of nothing" gureum_cli volume show no-such-volume

check "volume set --size 2 (extend)" openstack volume set --size 2 vol1
wait_until 60 "vol1 extended" sh -c "openstack volume show vol1 -f value -c size | grep -qx 2"
qemu-img info "$volume_dir/volume-$vol1.qcow2" | grep -q "virtual size: 2 GiB" ||
  fail "the file is not 2 GiB: $(qemu-img info "$volume_dir/volume-$vol1.qcow2")"
check_fails "the client refuses a smaller size" openstack volume set --size 1 vol1
cinder POST "/volumes/$vol1/action" '{"os-extend": {"new_size": 1}}' >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 400 ] || fail "extend smaller: $(cat "$E2E_DIR/http_status")"
grep -q "New size for extend must be greater" "$E2E_DIR/cinder.json" ||
  fail "400 text: $(cat "$E2E_DIR/cinder.json")"
check "volume set --property" openstack volume set --property tier=gold vol1
check "volume set --bootable --read-only" openstack volume set --bootable --read-only vol1
check "volume show properties" openstack volume show vol1 -f json
grep -q '"tier": "gold"' "$E2E_DIR/out" || grep -q "tier='gold'" "$E2E_DIR/out" ||
  fail "no property: $(cat "$E2E_DIR/out")"
[ "$(value bootable)" = true ] || fail "not bootable"
check "volume unset --property" openstack volume unset --property tier vol1
check "volume set --read-write" openstack volume set --read-write vol1

check "snapshot create" openstack volume snapshot create --volume vol1 snap1 -f json
snap1=$(value id)
wait_until 60 "snap1 available" snapshot_is "$snap1" available
check_fails "a volume with snapshots cannot be deleted" openstack volume delete vol1
check "volume from the snapshot" openstack volume create --snapshot snap1 vol2 -f json
vol2=$(value id)
check "clone of vol1" openstack volume create --source vol1 vol3 -f json
vol3=$(value id)
wait_until 60 "vol2 available" volume_is "$vol2" available
wait_until 60 "vol3 available" volume_is "$vol3" available
[ "$(openstack volume show vol2 -f value -c size)" = 2 ] || fail "vol2 is not the snapshot's size"

# A volume from an image holds the image's bytes.
head -c 3M /dev/urandom >"$E2E_DIR/image.raw"
check "image create" openstack image create --file "$E2E_DIR/image.raw" --disk-format raw \
  --container-format bare tiny -f json
check "volume create --image" openstack volume create --image tiny --size 1 vimg -f json
vimg=$(value id)
wait_until 60 "vimg available" volume_is "$vimg" available
[ "$(openstack volume show vimg -f value -c bootable)" = true ] || fail "vimg is not bootable"
check "read the volume back" qemu-img convert -O raw "$volume_dir/volume-$vimg.qcow2" \
  "$E2E_DIR/vimg.raw"
check "the volume starts with the image's bytes" cmp -n 3145728 "$E2E_DIR/image.raw" \
  "$E2E_DIR/vimg.raw"
rm -f "$E2E_DIR/vimg.raw"
check_fails "an image that does not exist is refused" \
  openstack volume create --image 00000000-0000-4000-8000-000000000000 --size 1 bad
check "volume delete vimg" openstack volume delete vimg

check "volume type create" openstack volume type create --property volume_backend_name=file gold
check "volume create --type gold" openstack volume create --type gold --size 1 vol4 -f json
vol4=$(value id)
wait_until 60 "vol4 available" volume_is "$vol4" available
check "volume type create (no such backend)" openstack volume type create \
  --property volume_backend_name=nowhere lost
check "volume create --type lost" openstack volume create --type lost --size 1 vol5 -f json
vol5=$(value id)
wait_until 30 "vol5 goes to error: no backend" volume_is "$vol5" error
check_fails "a type that does not exist is refused" \
  openstack volume create --type no-such-type --size 1 bad
check "delete the errored volume" openstack volume delete vol5

check "availability zones" openstack availability zone list --volume -f value -c "Zone Name"
grep -qx nova "$E2E_DIR/out" || fail "no nova zone"
check "quota set --volumes 4 (four are there)" openstack quota set --volumes 4 admin
check_fails "over the volumes quota" openstack volume create --size 1 vol6
grep -qi "exceeded" "$E2E_DIR/err" || fail "413 text: $(cat "$E2E_DIR/err")"
check "quota set --volumes 10" openstack quota set --volumes 10 admin

# Attach to a (pretend) compute host through the attachment API; the data path is real.
server=11111111-2222-4333-8444-555555555555
cinder POST /attachments "{\"attachment\": {\"volume_uuid\": \"$vol4\", \"instance_uuid\": \"$server\",
  \"connector\": {\"host\": \"compute1\", \"ip\": \"127.0.0.1\"}}}" >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 200 ] || fail "attachment create: $(cat "$E2E_DIR/cinder.json")"
att=$(json_field attachment.id)
nbd="nbd://$(json_field attachment.connection_info.host):$(json_field attachment.connection_info.port)/$(json_field attachment.connection_info.name)"
check "write through the export" qemu-io -f raw -c "write -P 0x5a 0 1M" "$nbd"
check_fails "a wrong export name is refused" qemu-io -f raw -c "read 0 512" \
  "${nbd%/*}/not-the-name"
cinder POST "/attachments/$att/action" '{"os-complete": {}}' >/dev/null
wait_until 10 "vol4 in-use" volume_is "$vol4" in-use
check_fails "an attached volume cannot be deleted" openstack volume delete vol4
cinder POST /attachments "{\"attachment\": {\"volume_uuid\": \"$vol4\", \"instance_uuid\": \"$server\"}}" >/dev/null
[ "$(cat "$E2E_DIR/http_status")" = 400 ] || fail "a second attachment: $(cat "$E2E_DIR/http_status")"

# The agent restarts with the export in place: it keeps serving.
kill "$volume_agent_pid"; wait "$volume_agent_pid" 2>/dev/null || true
check "the export serves while the agent is down" qemu-io -f raw -c "read -P 0x5a 0 1M" "$nbd"
start_volume_agent
check "and after it is back" qemu-io -f raw -c "read -P 0x5a 0 1M" "$nbd"

# A snapshot of the in-use volume (--force, through the running export) keeps the bytes of
# its moment: written after it, they are not in a volume made from it.
check "snapshot create --force of the in-use vol4" openstack volume snapshot create --force \
  --volume vol4 snap4 -f json
snap4=$(value id)
wait_until 60 "snap4 available" snapshot_is "$snap4" available
check "write after the snapshot" qemu-io -f raw -c "write -P 0x33 0 1M" "$nbd"
check "volume from snap4" openstack volume create --snapshot snap4 vol7 -f json
vol7=$(value id)
wait_until 60 "vol7 available" volume_is "$vol7" available
check "vol7 holds the bytes at the snapshot's time" qemu-io -f qcow2 -r \
  -c "read -P 0x5a 0 1M" "$volume_dir/volume-$vol7.qcow2"
check "vol4 holds the newer bytes" qemu-io -f raw -c "read -P 0x33 0 1M" "$nbd"
check "delete vol7" openstack volume delete vol7
check "delete snap4" openstack volume snapshot delete snap4
wait_until 60 "snap4 gone" sh -c "! openstack volume snapshot show $snap4"

cinder DELETE "/attachments/$att" >/dev/null
wait_until 10 "vol4 available after detach" volume_is "$vol4" available
wait_until 20 "the export ended" sh -c "! qemu-io -f raw -c 'read 0 512' '$nbd'"
cinder POST /attachments "{\"attachment\": {\"volume_uuid\": \"$vol4\", \"instance_uuid\": \"$server\",
  \"connector\": {\"host\": \"compute2\", \"ip\": \"127.0.0.1\"}}}" >/dev/null
att2=$(json_field attachment.id)
nbd2="nbd://127.0.0.1:$(json_field attachment.connection_info.port)/$(json_field attachment.connection_info.name)"
check "the data is there on re-attach" qemu-io -f raw -c "read -P 0x33 0 1M" "$nbd2"
cinder DELETE "/attachments/$att2" >/dev/null

# Another project sees none of it.
check "project create" openstack project create other
check "user create" openstack user create --project other --password 'Other!pw1' eve
check "role add" openstack role add --project other --user eve member
(
  export OS_USERNAME=eve OS_PASSWORD='Other!pw1' OS_PROJECT_NAME=other
  check "eve's volume list is empty" openstack volume list -f value -c ID
  [ ! -s "$E2E_DIR/out" ] || fail "eve sees volumes: $(cat "$E2E_DIR/out")"
  check_fails "eve cannot show vol1" openstack volume show "$vol1"
  check_fails "eve cannot delete vol1" openstack volume delete "$vol1"
  check_fails "eve cannot snapshot vol1" openstack volume snapshot create --volume "$vol1" s
  check_fails "eve cannot clone vol1" openstack volume create --source "$vol1" c
)

check "snapshot delete" openstack volume snapshot delete snap1
wait_until 60 "snap1 gone" sh -c "! openstack volume snapshot show $snap1"
check "volume delete" openstack volume delete vol1 vol2 vol3 vol4
wait_until 60 "volumes gone" sh -c "[ -z \"\$(openstack volume list -f value -c ID)\" ]"
[ -z "$(ls "$volume_dir")" ] || fail "files left in the backend: $(ls "$volume_dir")"
drop_block_storage_database
drop_identity_database
