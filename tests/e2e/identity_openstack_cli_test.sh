#!/usr/bin/env bash
# End to end: the Debian python3-openstackclient against a running gureum-identity
# (real binary, real PostgreSQL and RabbitMQ), as issue 3 requires: token issue, catalog
# list, endpoint list/set/show, project create/list/show/delete, user create/set
# --password/delete, role add, role assignment list --names, application credential
# create and auth with it.
source "$(dirname "$0")/lib.sh"

deploy_identity 'S3cret!admin'
check "bootstrap again changes nothing" manage identity bootstrap --admin-password 'S3cret!admin' \
  --identity-url "http://127.0.0.1:$rest_port/v3"
grep -q "nothing to change" "$E2E_DIR/out" || fail "second bootstrap changed something"

check "token issue" openstack token issue -f json
grep -q '"project_id"' "$E2E_DIR/out" || fail "token issue printed no project_id"
check "catalog list" openstack catalog list -f value -c Type
for t in identity compute image network volumev3 object-store placement; do
  grep -qx "$t" "$E2E_DIR/out" || fail "catalog lacks $t"
done
# The other e2e tests point endpoints at their ports with the gureum CLI (lib.sh,
# set_endpoints); the openstack client's endpoint commands are checked here.
check "endpoint list --service compute" openstack endpoint list --service compute \
  --interface public -f value -c ID
compute_ep=$(head -n1 "$E2E_DIR/out")
check "endpoint set --url" openstack endpoint set --url "http://127.0.0.1:1/v2.1" "$compute_ep"
check "endpoint show" openstack endpoint show "$compute_ep" -f value -c url
grep -qx "http://127.0.0.1:1/v2.1" "$E2E_DIR/out" || fail "endpoint set did not change the URL"
check "project create" openstack project create e2e-proj --description "made by e2e"
check "project list" openstack project list -f value -c Name
grep -qx e2e-proj "$E2E_DIR/out" || fail "project list lacks e2e-proj"
check "project show" openstack project show e2e-proj -f value -c description
grep -qx "made by e2e" "$E2E_DIR/out" || fail "project show description"
check_fails "duplicate project refused" openstack project create e2e-proj

check "user create" openstack user create alice --password 'alice-pw-1' --project e2e-proj
check "role add" openstack role add --user alice --project e2e-proj member
check "role assignment list --names" openstack role assignment list --user alice --project e2e-proj --names -f value -c Role
grep -qx member "$E2E_DIR/out" || fail "alice's assignment not listed"

alice() { env OS_USERNAME=alice OS_PASSWORD="$1" OS_PROJECT_NAME=e2e-proj openstack "${@:2}"; }
check "alice gets a token" alice 'alice-pw-1' token issue
check_fails "alice (member) cannot create projects" alice 'alice-pw-1' project create nope
check "admin sets alice's password" openstack user set --password 'alice-pw-2' alice
check_fails "the old password stops working" alice 'alice-pw-1' token issue
check "the new password works" alice 'alice-pw-2' token issue

check "application credential create" alice 'alice-pw-2' application credential create e2e-cred -f json
secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$E2E_DIR/out")
cred_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$E2E_DIR/out")
check "auth with the application credential" env -u OS_USERNAME -u OS_PASSWORD -u OS_PROJECT_NAME \
  -u OS_USER_DOMAIN_NAME -u OS_PROJECT_DOMAIN_NAME OS_AUTH_TYPE=v3applicationcredential \
  OS_APPLICATION_CREDENTIAL_ID="$cred_id" OS_APPLICATION_CREDENTIAL_SECRET="$secret" \
  openstack token issue
check_fails "a wrong application credential secret is refused" env -u OS_USERNAME -u OS_PASSWORD \
  -u OS_PROJECT_NAME -u OS_USER_DOMAIN_NAME -u OS_PROJECT_DOMAIN_NAME \
  OS_AUTH_TYPE=v3applicationcredential OS_APPLICATION_CREDENTIAL_ID="$cred_id" \
  OS_APPLICATION_CREDENTIAL_SECRET="wrong" openstack token issue

check "user delete" openstack user delete alice
check_fails "a deleted user cannot log in" alice 'alice-pw-2' token issue
check "project delete" openstack project delete e2e-proj
check "project list after delete" openstack project list -f value -c Name
grep -qx e2e-proj "$E2E_DIR/out" && fail "e2e-proj still listed"

# Secrets never reach the logs.
for secret_text in 'S3cret!admin' 'alice-pw-1' 'alice-pw-2' "$secret"; do
  if grep -rqF -- "$secret_text" "$E2E_DIR"/*.log "$E2E_DIR/identity.stdout" 2>/dev/null; then
    fail "a secret appears in the identity logs"
  fi
done
pass_count=$((pass_count + 1)); echo "ok: no secret in the logs"

drop_identity_database
echo "$pass_count passed, 0 failed"
