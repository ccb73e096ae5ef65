#!/usr/bin/env bash
# End to end (issue 19): object storage as the official Swift client sees it. A real
# gureum-identity, a 3-device ring (three zones) built with gureum-manage, three
# gureum-object-server processes (one device each, on 127.0.0.2-4), a gureum-object-proxy,
# and the catalog's object-store endpoint pointed at it. Then `swift` (python3-swiftclient,
# authenticating with the admin's OS_* variables against identity) uploads, lists, stats,
# downloads (checksums equal) and deletes; a container with a public read ACL is read and
# listed without a token; with one object server stopped, uploads and downloads still work
# (quorum 2 of 3); a 1 GiB static large object round trip (sha256 equal); a TempURL works
# until it expires; metadata of any name (swift post -m) and server-side copies (swift
# copy); another project gets 403 on a private container; `openstack container/object ...`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/object_storage_lib.sh"
trap 'drop_identity_database; e2e_cleanup' EXIT

deploy_identity 'S3cret!admin'

deploy_object_storage

check "swift stat (an empty account)" swift stat
grep -q "Containers: 0" "$E2E_DIR/out" || fail "swift stat: $(cat "$E2E_DIR/out")"

# Upload: a 5 MiB random file and a small one under a pseudo-directory.
cd "$E2E_DIR"
mkdir -p up/docs
head -c $((5 * 1024 * 1024)) /dev/urandom >up/big.bin
echo "hello from gureum object storage" >up/docs/hello.txt
check "swift upload big.bin" swift upload c1 up/big.bin
check "swift upload docs/hello.txt" swift upload c1 up/docs/hello.txt
check "swift list" swift list
[ "$(cat "$E2E_DIR/out")" = c1 ] || fail "swift list: $(cat "$E2E_DIR/out")"
check "swift list c1" swift list c1
[ "$(cat "$E2E_DIR/out" | tr '\n' ' ')" = "up/big.bin up/docs/hello.txt " ] ||
  fail "swift list c1: $(cat "$E2E_DIR/out")"
check "swift list c1 --prefix up/docs/" swift list c1 --prefix up/docs/
[ "$(cat "$E2E_DIR/out")" = up/docs/hello.txt ] || fail "prefix: $(cat "$E2E_DIR/out")"
check "swift list c1 --delimiter / --prefix up/" swift list c1 --delimiter / --prefix up/
[ "$(cat "$E2E_DIR/out" | tr '\n' ' ')" = "up/big.bin up/docs/ " ] ||
  fail "delimiter: $(cat "$E2E_DIR/out")"
check "swift stat c1 up/big.bin" swift stat c1 up/big.bin
grep -q "Content Length: 5242880" "$E2E_DIR/out" || fail "object stat: $(cat "$E2E_DIR/out")"
grep -q "ETag: $(md5sum up/big.bin | cut -d' ' -f1)" "$E2E_DIR/out" || fail "etag"

check "swift download (checksums checked by the client too)" \
  swift download c1 up/big.bin -o down-big.bin
cmp -s up/big.bin down-big.bin || fail "the downloaded big.bin differs"
check "swift download hello" swift download c1 up/docs/hello.txt -o down-hello.txt
cmp -s up/docs/hello.txt down-hello.txt || fail "the downloaded hello.txt differs"
echo "ok: both downloads are byte for byte"

check "swift stat c1" swift stat c1
grep -q "Objects: 2" "$E2E_DIR/out" || fail "container stat: $(cat "$E2E_DIR/out")"

# A public container (.r:*, .rlistings): anyone reads and lists it, without a token.
# A large object in 1 MiB segments (swift upload -S: a dynamic large object).
head -c $((3 * 1024 * 1024 + 12345)) /dev/urandom >up/segmented.bin
check "swift upload -S 1048576 (segments and a manifest)" \
  swift upload -S 1048576 c1 up/segmented.bin
check "swift list c1_segments" swift list c1_segments
[ "$(wc -l <"$E2E_DIR/out")" = 4 ] || fail "segments: $(cat "$E2E_DIR/out")"
check "swift download the large object" swift download c1 up/segmented.bin -o down-seg.bin
cmp -s up/segmented.bin down-seg.bin || fail "the large object differs"
echo "ok: a segmented upload downloads byte for byte"
check "swift upload --use-slo -S 1048576 (a static large object)" \
  swift upload --use-slo -S 1048576 c1 up/segmented.bin --object-name slo.bin
check "swift stat c1 slo.bin" swift stat c1 slo.bin
grep -q "Content Length: $((3 * 1024 * 1024 + 12345))" "$E2E_DIR/out" ||
  fail "SLO stat: $(cat "$E2E_DIR/out")"
check "swift download the static large object" swift download c1 slo.bin -o down-slo.bin
cmp -s up/segmented.bin down-slo.bin || fail "the static large object differs"
echo "ok: an SLO upload downloads byte for byte"
# Issue 19's size: 1 GiB as a static large object in 100 MiB segments, checksums equal.
head -c $((1024 * 1024 * 1024)) /dev/urandom >up/gib.bin
gib_sum=$(sha256sum <up/gib.bin | cut -d' ' -f1)
check "swift upload --use-slo -S 104857600 (1 GiB)" \
  swift upload --use-slo -S 104857600 c1 up/gib.bin --object-name gib.bin
rm -f up/gib.bin
check "swift stat c1 gib.bin" swift stat c1 gib.bin
grep -q "Content Length: $((1024 * 1024 * 1024))" "$E2E_DIR/out" ||
  fail "1 GiB SLO stat: $(cat "$E2E_DIR/out")"
check "swift download the 1 GiB SLO" swift download c1 gib.bin -o down-gib.bin
[ "$(sha256sum <down-gib.bin | cut -d' ' -f1)" = "$gib_sum" ] || fail "the 1 GiB SLO differs"
rm -f down-gib.bin
check "swift delete the 1 GiB SLO (and its segments)" swift delete c1 gib.bin
echo "ok: a 1 GiB SLO downloads with the same checksum"

check "swift post pub (read ACL)" swift post pub -r '.r:*,.rlistings'
check "swift stat pub" swift stat pub
grep -q "Read ACL: .r:\*,.rlistings" "$E2E_DIR/out" || fail "ACL: $(cat "$E2E_DIR/out")"
check "swift upload pub" swift upload pub up/docs/hello.txt
admin_project=$(openstack project show admin -f value -c id)
pub=http://127.0.0.1:$proxy_port/v1/AUTH_$admin_project/pub
check "anonymous download from the public container" curl -sf -o anon.txt "$pub/up/docs/hello.txt"
cmp -s up/docs/hello.txt anon.txt || fail "the anonymous download differs"
check "anonymous listing of the public container" curl -sf "$pub"
grep -q "up/docs/hello.txt" "$E2E_DIR/out" || fail "public listing: $(cat "$E2E_DIR/out")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$pub/anon-write")
[ "$code" = 401 ] || fail "an anonymous write to the public container: $code, not 401"
wait_until 15 "account counts reach the account listing" \
  bash -c 'swift stat | grep -q "Objects: 13"'

# TempURL: a link signed with the account's key works until it expires, and not after.
check "swift post -m Temp-URL-Key" swift post -m "Temp-URL-Key:e2e-secret"
check "swift tempurl" swift tempurl GET 600 "/v1/AUTH_$admin_project/c1/up/big.bin" e2e-secret
check "download through the TempURL" curl -sf -o temp.bin "http://127.0.0.1:$proxy_port$(cat "$E2E_DIR/out")"
cmp -s up/big.bin temp.bin || fail "the TempURL download differs"
check "a TempURL that expires in 1 s" swift tempurl GET 1 "/v1/AUTH_$admin_project/c1/up/big.bin" e2e-secret
short=$(cat "$E2E_DIR/out")
sleep 2
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$proxy_port$short")
[ "$code" = 401 ] || fail "an expired TempURL: $code, not 401"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x \
  "http://127.0.0.1:$proxy_port$(swift tempurl GET 600 "/v1/AUTH_$admin_project/c1/x" e2e-secret)")
[ "$code" = 401 ] || fail "a PUT with a GET TempURL: $code, not 401"
echo "ok: a TempURL works until it expires and not after"

# Metadata of any name (swift post -m) and server-side copies (swift copy: COPY).
check "swift post -m (container metadata)" swift post c1 -m "Color:blue"
check "swift stat c1 (its metadata)" swift stat c1
grep -q "Meta Color: blue" "$E2E_DIR/out" || fail "container metadata: $(cat "$E2E_DIR/out")"
check "swift post -m (object metadata)" swift post c1 up/docs/hello.txt -m "Fruit:apple"
check "swift stat the object (its metadata)" swift stat c1 up/docs/hello.txt
grep -q "Meta Fruit: apple" "$E2E_DIR/out" || fail "object metadata: $(cat "$E2E_DIR/out")"
check "swift copy (COPY with Destination)" \
  swift copy c1 up/docs/hello.txt --destination /pub/copied.txt -m "Copied:yes"
check "swift download the copy" swift download pub copied.txt -o copied.txt
cmp -s up/docs/hello.txt copied.txt || fail "the copy differs"
check "swift stat the copy" swift stat pub copied.txt
grep -q "Meta Fruit: apple" "$E2E_DIR/out" && grep -q "Meta Copied: yes" "$E2E_DIR/out" ||
  fail "the copy's metadata: $(cat "$E2E_DIR/out")"
echo "ok: metadata of any name, and a server-side copy keeps and adds metadata"

# Another project's member: 403 on the admin project's container.
check "project create" openstack project create e2e-other
check "user create" openstack user create bob --password 'bob-pw-1' --project e2e-other
check "role add" openstack role add --user bob --project e2e-other member
bob_token=$(env OS_USERNAME=bob OS_PASSWORD='bob-pw-1' OS_PROJECT_NAME=e2e-other \
  openstack token issue -f value -c id)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $bob_token" \
  "http://127.0.0.1:$proxy_port/v1/AUTH_$admin_project/c1")
[ "$code" = 403 ] || fail "bob's listing of the admin project's container: $code, not 403"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $bob_token" \
  "http://127.0.0.1:$proxy_port/v1/AUTH_$admin_project/c1/up/big.bin")
[ "$code" = 403 ] || fail "bob's download: $code, not 403"
code=$(curl -s -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$proxy_port/v1/AUTH_$admin_project/c1")
[ "$code" = 401 ] || fail "no token: $code, not 401"
check "bob's own account" env OS_USERNAME=bob OS_PASSWORD='bob-pw-1' OS_PROJECT_NAME=e2e-other \
  swift stat
echo "ok: another project gets 403, no token 401"

# One object server stopped: writes and reads still succeed (2 of 3).
kill "${obj_pids[1]}"
wait "${obj_pids[1]}" 2>/dev/null || true
head -c $((2 * 1024 * 1024)) /dev/urandom >up/while-down.bin
check "swift upload with a server down" swift upload c1 up/while-down.bin
check "swift download with a server down" swift download c1 up/while-down.bin -o down-2.bin
cmp -s up/while-down.bin down-2.bin || fail "the object written with a server down differs"
check "swift download an older object with a server down" \
  swift download c1 up/big.bin -o down-big-2.bin
cmp -s up/big.bin down-big-2.bin || fail "big.bin differs with a server down"
check "swift list with a server down" swift list c1
grep -q "up/while-down.bin" "$E2E_DIR/out" || fail "listing: $(cat "$E2E_DIR/out")"
echo "ok: one object server down, PUT and GET still work"

# The official openstack client's object commands (python-openstackclient over the same API).
check "openstack container create" openstack container create oc1
check "openstack object create" openstack object create oc1 up/docs/hello.txt
check "openstack object list" openstack object list oc1 -f value -c Name
grep -qx "up/docs/hello.txt" "$E2E_DIR/out" || fail "openstack object list: $(cat "$E2E_DIR/out")"
check "openstack object set --property" openstack object set --property color=blue oc1 \
  up/docs/hello.txt
check "openstack object show" openstack object show oc1 up/docs/hello.txt -f json
# Swift title-cases metadata names (X-Object-Meta-Color), so the client shows "Color".
grep -qi '"color": "blue"' "$E2E_DIR/out" || fail "object show: $(cat "$E2E_DIR/out")"
check "openstack object save" openstack object save --file oc-hello.txt oc1 up/docs/hello.txt
cmp -s up/docs/hello.txt oc-hello.txt || fail "openstack object save differs"
check "openstack container show" openstack container show oc1 -f json
grep -q '"object_count": "1"\|"object_count": 1' "$E2E_DIR/out" ||
  fail "container show: $(cat "$E2E_DIR/out")"
check "openstack object delete" openstack object delete oc1 up/docs/hello.txt
check "openstack container delete" openstack container delete oc1
echo "ok: openstack container/object create, list, set, show, save, delete"

check "swift delete an object" swift delete c1 up/docs/hello.txt
check_fails "the deleted object is gone" swift download c1 up/docs/hello.txt -o gone.txt
check "swift delete c1 (its objects, then it)" swift delete c1
check "swift delete pub" swift delete pub
check "swift delete c1_segments" swift delete c1_segments
check "swift list (no containers)" swift list
[ -z "$(cat "$E2E_DIR/out")" ] || fail "containers left: $(cat "$E2E_DIR/out")"
echo "PASS: object storage ($pass_count checks)"
