#!/usr/bin/env bash
# End to end (issue 4): a 1 GiB image round-trips byte for byte (sha512 equal) through
# the official client (`openstack image create --file` / `openstack image save`, Glance v2
# REST) and through the gureum CLI (gRPC streams), against real gureum-identity and
# gureum-image processes on PostgreSQL. Also: the stored file is the only copy (no
# partials left), bad formats are refused, another project cannot see a private image,
# and the service's peak resident memory stays small during the transfers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/image_lib.sh"
trap 'drop_image_database; drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'S3cret!admin'
deploy_image

size_mib=${IMAGE_E2E_MIB:-1024}
src=$E2E_DIR/src.img
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$src"
want=$(sha512sum "$src" | cut -d' ' -f1)

check "openstack image create --file (${size_mib} MiB)" openstack image create --file "$src" \
  --disk-format raw --container-format bare e2e-big -f json
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$E2E_DIR/out")
check "openstack image show" openstack image show e2e-big -f json
python3 - "$E2E_DIR/out" "$want" "$((size_mib * 1024 * 1024))" <<'PY' || fail "image record"
import json, sys
i = json.load(open(sys.argv[1]))
assert i["status"] == "active", i["status"]
assert i["size"] == int(sys.argv[3]), i["size"]
props = i.get("properties") or {}
h = i.get("os_hash_value") or props.get("os_hash_value")
assert h == sys.argv[2], h
PY
echo "ok: the record is active with the right size and sha512"
[ "$(ls "$image_dir")" = "$id" ] || fail "the store holds more than the image file: $(ls "$image_dir")"
check "openstack image save" openstack image save --file "$E2E_DIR/out-osc.img" e2e-big
if [ ! -f "$E2E_DIR/out-osc.img" ]; then  # seen once in ~6 runs: rc 0 and no file
  ls -la "$E2E_DIR"; tail -n 5 "$E2E_DIR/image.log"
  fail "openstack image save exited 0 but wrote no file"
fi
got=$(sha512sum "$E2E_DIR/out-osc.img" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "openstack image save: sha512 differs"
echo "ok: openstack round trip is byte for byte"
rm -f "$E2E_DIR/out-osc.img"

check "gureum image create --file (gRPC)" "$GUREUM_BUILD_DIR/cli/gureum" image create \
  --file "$src" --disk-format raw --container-format bare --private e2e-grpc -f json
check "gureum image save (gRPC)" "$GUREUM_BUILD_DIR/cli/gureum" image save e2e-grpc \
  --file "$E2E_DIR/out-grpc.img"
got=$(sha512sum "$E2E_DIR/out-grpc.img" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "gureum image save: sha512 differs"
echo "ok: gureum (gRPC) round trip is byte for byte"
rm -f "$E2E_DIR/out-grpc.img" "$src"

hwm=$(awk '/VmHWM/ {print $2}' "/proc/$image_pid/status")
echo "gureum-image peak resident memory after the transfers: $((hwm / 1024)) MiB"
[ "$hwm" -lt $((64 * 1024)) ] || fail "gureum-image peak RSS ${hwm} KiB is not under 64 MiB"

# Bad input through the official client.
qemu-img create -q -f raw "$E2E_DIR/base.raw" 16M
qemu-img create -q -f qcow2 -b "$E2E_DIR/base.raw" -F raw "$E2E_DIR/backed.qcow2"
check_fails "a qcow2 with a backing file is refused" openstack image create \
  --file "$E2E_DIR/backed.qcow2" --disk-format qcow2 --container-format bare e2e-backed
check_fails "qcow2 data declared raw is refused" openstack image create \
  --file "$E2E_DIR/backed.qcow2" --disk-format raw --container-format bare e2e-liar
[ "$(ls "$image_dir" | wc -l)" = 2 ] || fail "refused uploads left files: $(ls "$image_dir")"

# Another project's member sees neither private image, by either API.
check "project create" openstack project create e2e-other
check "user create" openstack user create bob --password 'bob-pw-1' --project e2e-other
check "role add" openstack role add --user bob --project e2e-other member
bob() { env OS_USERNAME=bob OS_PASSWORD='bob-pw-1' OS_PROJECT_NAME=e2e-other "$@"; }
check "bob lists images" bob openstack image list -f value -c Name
grep -q e2e-grpc "$E2E_DIR/out" && fail "bob sees the admin project's private image"
check_fails "bob cannot show it (404)" bob openstack image show e2e-grpc
check_fails "bob cannot save it over gRPC" bob "$GUREUM_BUILD_DIR/cli/gureum" image save e2e-grpc \
  --file "$E2E_DIR/stolen.img"
grep -qi "not found\|no image" "$E2E_DIR/err" || fail "bob's error is not a not-found: $(cat "$E2E_DIR/err")"

check "protect and refuse delete" openstack image set --protected e2e-big
check_fails "deleting a protected image is refused" openstack image delete e2e-big
check "unprotect" openstack image set --unprotected e2e-big
check "delete" openstack image delete e2e-big e2e-grpc
[ -z "$(ls "$image_dir")" ] || fail "deleted images left data: $(ls "$image_dir")"

for secret_text in 'S3cret!admin' 'bob-pw-1'; do
  if grep -rqF -- "$secret_text" "$E2E_DIR"/*.log "$E2E_DIR/image.stdout" 2>/dev/null; then
    fail "a secret appears in the logs"
  fi
done
echo "PASS: $pass_count checks"
