#!/usr/bin/env bash
# End to end (issue 19): the proxy's S3 API as Debian's s3cmd sees it (path-style, AWS
# Signature V4, and V2 for one download). Identity, three object servers and the proxy as in object_storage_test.sh,
# the proxy given a service user (the admin) to read EC2 secrets; an EC2 credential made
# with `openstack ec2 credentials create`; then s3cmd mb, put, ls, get (checksums equal),
# a multipart upload of a 12 MiB file in 5 MiB parts, del and rb; Swift sees the same
# objects; a wrong secret is refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/object_storage_lib.sh"
trap 'drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'S3cret!admin'
OBJECT_PROXY_SERVICE_AUTH="username = admin
password = $OS_PASSWORD
project_name = admin"
deploy_object_storage

check "openstack ec2 credentials create" openstack ec2 credentials create -f value -c access -c secret
access=$(sed -n 1p "$E2E_DIR/out")
secret=$(sed -n 2p "$E2E_DIR/out")
[ -n "$access" ] && [ -n "$secret" ] || fail "ec2 credentials: $(cat "$E2E_DIR/out")"

s3cfg() {  # s3cfg FILE SECRET [SIGNATURE_V2]
  cat >"$1" <<CONF
[default]
access_key = $access
secret_key = $2
host_base = 127.0.0.1:$proxy_port
host_bucket = 127.0.0.1:$proxy_port
use_https = False
signature_v2 = ${3:-False}
bucket_location = us-east-1
CONF
}
s3cfg "$E2E_DIR/s3cfg" "$secret"
s3cfg "$E2E_DIR/s3cfg-wrong" "not-the-secret"
s3cfg "$E2E_DIR/s3cfg-v2" "$secret" True
s3() { s3cmd -c "$E2E_DIR/s3cfg" "$@"; }

cd "$E2E_DIR"
check "s3cmd mb" s3 mb s3://e2e-bucket
check "s3cmd ls (buckets)" s3 ls
grep -q "s3://e2e-bucket" "$E2E_DIR/out" || fail "s3cmd ls: $(cat "$E2E_DIR/out")"
echo "hello from gureum's S3 API" >small.txt
check "s3cmd put (one part)" s3 put small.txt s3://e2e-bucket/docs/small.txt
head -c $((12 * 1024 * 1024)) /dev/urandom >big.bin
check "s3cmd put (multipart, 5 MiB parts)" \
  s3 put --multipart-chunk-size-mb=5 big.bin s3://e2e-bucket/big.bin
check "the parts are in e2e-bucket+segments" swift list e2e-bucket+segments
[ "$(wc -l <"$E2E_DIR/out")" = 3 ] || fail "not a 3-part upload: $(cat "$E2E_DIR/out")"
check "s3cmd info big.bin" s3 info s3://e2e-bucket/big.bin
grep -q "File size: *12582912" "$E2E_DIR/out" || fail "s3cmd info: $(cat "$E2E_DIR/out")"
check "swift stat: a static large object with S3's multipart ETag" swift stat e2e-bucket big.bin
grep -qi "s3api-etag: [0-9a-f]*-3" "$E2E_DIR/out" || fail "multipart ETag: $(cat "$E2E_DIR/out")"
check "s3cmd ls s3://e2e-bucket" s3 ls s3://e2e-bucket
grep -q "s3://e2e-bucket/big.bin" "$E2E_DIR/out" || fail "listing: $(cat "$E2E_DIR/out")"
grep -q "DIR.*s3://e2e-bucket/docs/" "$E2E_DIR/out" || fail "listing: $(cat "$E2E_DIR/out")"
check "s3cmd ls --recursive" s3 ls --recursive s3://e2e-bucket
grep -q "12582912.*s3://e2e-bucket/big.bin" "$E2E_DIR/out" || fail "size: $(cat "$E2E_DIR/out")"
check "s3cmd get small" s3 get s3://e2e-bucket/docs/small.txt small-down.txt
cmp -s small.txt small-down.txt || fail "small.txt differs"
check "s3cmd get big (the multipart object)" s3 get s3://e2e-bucket/big.bin big-down.bin
[ "$(md5sum <big.bin)" = "$(md5sum <big-down.bin)" ] || fail "big.bin's checksum differs"
echo "ok: both downloads have the uploaded checksums"
check "s3cmd info" s3 info s3://e2e-bucket/docs/small.txt
check "s3cmd get with Signature V2" s3cmd -c "$E2E_DIR/s3cfg-v2" get s3://e2e-bucket/docs/small.txt small-v2.txt
cmp -s small.txt small-v2.txt || fail "small.txt (V2) differs"
check "swift sees the bucket as a container" swift list e2e-bucket
[ "$(tr '\n' ' ' <"$E2E_DIR/out")" = "big.bin docs/small.txt " ] ||
  fail "swift list: $(cat "$E2E_DIR/out")"
check_fails "a wrong secret is refused" s3cmd -c "$E2E_DIR/s3cfg-wrong" ls s3://e2e-bucket
cat "$E2E_DIR/out" "$E2E_DIR/err" | grep -q "SignatureDoesNotMatch" || fail "wrong secret: $(cat "$E2E_DIR/err")"

check "s3cmd del" s3 del s3://e2e-bucket/docs/small.txt s3://e2e-bucket/big.bin
check "s3cmd ls (empty bucket)" s3 ls s3://e2e-bucket
[ -z "$(cat "$E2E_DIR/out")" ] || fail "left: $(cat "$E2E_DIR/out")"
check "s3cmd rb" s3 rb s3://e2e-bucket
check "swift list (no containers)" swift list
[ -z "$(cat "$E2E_DIR/out")" ] || fail "containers left: $(cat "$E2E_DIR/out")"
echo "PASS: object storage S3 ($pass_count checks)"
