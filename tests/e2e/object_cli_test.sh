#!/usr/bin/env bash
# End to end (issue 19): the gureum CLI's object storage commands against identity, three
# object servers and the proxy (object_storage_lib.sh): container create/list/show/delete,
# object upload/list/show/download/delete, the storage URL found in the token's catalog
# (and given with --os-storage-url); a download is byte for byte; errors are one line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/object_storage_lib.sh"
trap 'drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'S3cret!admin'
deploy_object_storage

check "gureum container create" gureum_cli container create cli-c1 cli-c2
grep -q cli-c2 "$E2E_DIR/out" || fail "create: $(cat "$E2E_DIR/out")"
check "gureum container list" gureum_cli container list -f value -c Name
[ "$(paste -sd' ' "$E2E_DIR/out")" = "cli-c1 cli-c2" ] || fail "list: $(cat "$E2E_DIR/out")"

cd "$E2E_DIR"
head -c $((3 * 1024 * 1024 + 7)) /dev/urandom >data.bin
md5=$(md5sum data.bin | cut -d' ' -f1)
check "gureum object upload" gureum_cli object upload cli-c1 data.bin --name dir/data.bin
grep -q "$md5" "$E2E_DIR/out" || fail "upload etag: $(cat "$E2E_DIR/out")"
check "gureum object list" gureum_cli object list cli-c1 -f value -c Name -c Bytes
[ "$(cat "$E2E_DIR/out")" = "dir/data.bin $((3 * 1024 * 1024 + 7))" ] ||
  fail "object list: $(cat "$E2E_DIR/out")"
check "gureum object list --prefix" gureum_cli object list cli-c1 --prefix nothing/ -f value -c Name
[ -z "$(cat "$E2E_DIR/out")" ] || fail "prefix: $(cat "$E2E_DIR/out")"
check "gureum object show" gureum_cli object show cli-c1 dir/data.bin -f json
python3 - "$E2E_DIR/out" "$md5" <<'PY' || fail "object show: $(cat "$E2E_DIR/out")"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["etag"] == sys.argv[2], o
assert o["content-length"] == str(3 * 1024 * 1024 + 7), o
PY
check "gureum object download" gureum_cli object download cli-c1 dir/data.bin --file down.bin
cmp -s data.bin down.bin || fail "the download differs"
check "swift sees the same object" env OS_AUTH_VERSION=3 swift stat cli-c1 dir/data.bin
grep -q "ETag: $md5" "$E2E_DIR/out" || fail "swift stat: $(cat "$E2E_DIR/out")"
check "gureum container show" gureum_cli container show cli-c1 -f json
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["object_count"] == "1", o' \
  "$E2E_DIR/out" || fail "container show: $(cat "$E2E_DIR/out")"
project=$(openstack token issue -f value -c project_id)
check "--os-storage-url" gureum_cli object list --os-storage-url \
  "http://127.0.0.1:$proxy_port/v1/AUTH_$project" cli-c1 -f value -c Name
[ "$(cat "$E2E_DIR/out")" = dir/data.bin ] || fail "with the storage URL: $(cat "$E2E_DIR/out")"

check_fails "a missing object" gureum_cli object download cli-c1 nothing --file x.bin
grep -q "404" "$E2E_DIR/err" || fail "missing object error: $(cat "$E2E_DIR/err")"
[ ! -e x.bin ] && [ ! -e x.bin.partial ] || fail "a failed download left a file"
check_fails "deleting a non-empty container" gureum_cli container delete cli-c1
check "gureum object delete" gureum_cli object delete cli-c1 dir/data.bin
check "gureum object upload (again)" gureum_cli object upload cli-c2 data.bin
check "gureum container delete --recursive" gureum_cli container delete --recursive cli-c1 cli-c2
check "gureum container list (none)" gureum_cli container list -f value -c Name
[ -z "$(cat "$E2E_DIR/out")" ] || fail "containers left: $(cat "$E2E_DIR/out")"
echo "PASS: the gureum CLI's object storage commands ($pass_count checks)"
