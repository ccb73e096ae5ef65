#!/usr/bin/env bash
# End to end: the gureum CLI (build/cli/gureum) against a running gureum-identity (real
# binary, real PostgreSQL and RabbitMQ), over identity's gRPC API: token issue, catalog
# list, project create/list/show/delete, user create/set --password/delete, password
# change, role add + role assignment list --names, group membership, application
# credential create/list/delete, -f json|value, and the errors (one line, exit 1).
source "$(dirname "$0")/lib.sh"

deploy_identity 'S3cret!admin'

gureum() { "$GUREUM_BUILD_DIR/cli/gureum" "$@"; }
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$E2E_DIR/out" "$1"; }

check "token issue -f json" gureum token issue -f json
for field in expires id project_id user_id; do
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[sys.argv[2]], sys.argv[2]' \
    "$E2E_DIR/out" "$field" || fail "token issue lacks $field"
done
check "token issue -f value -c project_id" gureum token issue -f value -c project_id
admin_project=$(cat "$E2E_DIR/out")
[ -n "$admin_project" ] || fail "no project_id"

check "catalog list" gureum catalog list -f value -c Type
for t in identity compute image network; do
  grep -qx "$t" "$E2E_DIR/out" || fail "catalog lacks $t"
done

check "project create" gureum project create cli-proj --description "made by the gureum CLI" -f json
proj_id=$(json_field id)
check "project list" gureum project list -f value -c Name
grep -qx cli-proj "$E2E_DIR/out" || fail "project list lacks cli-proj"
check "project show by name" gureum project show cli-proj -f value -c description
grep -qx "made by the gureum CLI" "$E2E_DIR/out" || fail "project show description"
check "project show by id" gureum project show "$proj_id" -f value -c name
grep -qx cli-proj "$E2E_DIR/out" || fail "project show by id"
check "project set" gureum project set cli-proj --description changed
check "project show after set" gureum project show cli-proj -f value -c description
grep -qx changed "$E2E_DIR/out" || fail "project set did not change the description"
check_fails "duplicate project refused" gureum project create cli-proj
grep -q "Duplicate entry" "$E2E_DIR/err" || fail "duplicate: $(cat "$E2E_DIR/err")"
[ "$(wc -l <"$E2E_DIR/err")" = 1 ] || fail "the error is not one line"
check_fails "unknown project" gureum project show no-such-project
grep -q "No project with a name or ID of 'no-such-project' exists." "$E2E_DIR/err" \
  || fail "unknown project message: $(cat "$E2E_DIR/err")"

check "user create" gureum user create alice --password 'alice-pw-1' --project cli-proj
check "role add" gureum role add --user alice --project cli-proj member
check "role assignment list --names" gureum role assignment list --user alice --project cli-proj --names -f value -c Role -c User -c Project
grep -qx "member alice@Default cli-proj@Default" "$E2E_DIR/out" \
  || fail "alice's assignment not listed: $(cat "$E2E_DIR/out")"

alice() { env OS_USERNAME=alice OS_PASSWORD="$1" OS_PROJECT_NAME=cli-proj "$GUREUM_BUILD_DIR/cli/gureum" "${@:2}"; }
check "alice gets a token" alice 'alice-pw-1' token issue -f value -c user_id
check_fails "alice (member) cannot create projects" alice 'alice-pw-1' project create nope
grep -q "not authorized\|identity:create_project" "$E2E_DIR/err" || fail "denial message: $(cat "$E2E_DIR/err")"
check_fails "alice cannot see the admin project" alice 'alice-pw-1' project show "$admin_project"
check "admin sets alice's password" gureum user set --password 'alice-pw-2' alice
check_fails "the old password stops working" alice 'alice-pw-1' token issue
check "the new password works" alice 'alice-pw-2' token issue
check "alice changes her own password" alice 'alice-pw-2' user password set --password 'alice-pw-3'
check "her new password works" alice 'alice-pw-3' token issue

check "group create" gureum group create cli-ops
check "group add user" gureum group add user cli-ops alice
check "user list --group" gureum user list --group cli-ops -f value -c Name
grep -qx alice "$E2E_DIR/out" || fail "alice not in cli-ops"
check "group remove user" gureum group remove user cli-ops alice
check "group delete" gureum group delete cli-ops

check "application credential create" alice 'alice-pw-3' application credential create cli-cred -f json
secret=$(json_field secret)
[ -n "$secret" ] || fail "no secret"
check "application credential list" alice 'alice-pw-3' application credential list -f value -c Name
grep -qx cli-cred "$E2E_DIR/out" || fail "cli-cred not listed"
check "application credential delete" alice 'alice-pw-3' application credential delete cli-cred

check "user delete" gureum user delete alice
check_fails "a deleted user cannot log in" alice 'alice-pw-3' token issue
check "project delete" gureum project delete cli-proj
check "project list after delete" gureum project list -f value -c Name
grep -qx cli-proj "$E2E_DIR/out" && fail "cli-proj still listed"

check "token revoke" gureum token revoke "$(gureum token issue -f value -c id)"

# An API nobody serves: the command fails at once (not at the 30 s deadline, which ends
# "Deadline Exceeded") and says what it could not reach, where, and the option to fix it.
nowhere=127.0.0.1:$(free_port)
check_fails "identity unreachable" gureum --os-identity-grpc "$nowhere" token issue
grep -q "cannot reach identity's gRPC API at $nowhere (--os-identity-grpc)" "$E2E_DIR/err" ||
  fail "unreachable identity: $(cat "$E2E_DIR/err")"
check_fails "compute-api unreachable" gureum flavor list --os-compute-grpc "$nowhere"
grep -q "cannot reach compute-api's gRPC API at $nowhere (--os-compute-grpc)" "$E2E_DIR/err" ||
  fail "unreachable compute-api: $(cat "$E2E_DIR/err")"

drop_identity_database
echo "$pass_count passed, 0 failed"
