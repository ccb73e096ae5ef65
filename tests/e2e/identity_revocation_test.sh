#!/usr/bin/env bash
# End to end, issue 3: "a disabled user's existing token stops working in another service
# process within 5 s". gureum-identity runs for real; auth_probe (tests/e2e/auth_probe.cc)
# is the other service process: it verifies the token locally, as every service does,
# and learns of revocations from the identity.revocations fanout on RabbitMQ.
source "$(dirname "$0")/lib.sh"

db=gureum_identity
psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
rest_port=$(free_port)
grpc_port=$(free_port)
cat >"$E2E_DIR/gureum.conf" <<CONF
[DEFAULT]
transport_url = $GUREUM_TEST_AMQP_URL
log_dir = $E2E_DIR
[database]
connection = $(pg_server_uri)
[identity]
host = 127.0.0.1
rest_port = $rest_port
grpc_port = $grpc_port
public_host = 127.0.0.1
key_repository = $E2E_DIR/keys
CONF
manage() { "$GUREUM_BUILD_DIR/cli/gureum-manage" --config-file "$E2E_DIR/gureum.conf" "$@"; }
check "db sync" manage db sync identity
check "bootstrap" manage identity bootstrap --admin-password admin-pw \
  --identity-url "http://127.0.0.1:$rest_port/v3"
"$GUREUM_BUILD_DIR/identity/gureum-identity" --config-file "$E2E_DIR/gureum.conf" \
  >"$E2E_DIR/identity.stdout" 2>&1 &
E2E_PIDS+=($!)
wait_http "http://127.0.0.1:$rest_port/v3"

export OS_AUTH_URL="http://127.0.0.1:$rest_port/v3" OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin OS_PASSWORD=admin-pw OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
check "project create" openstack project create rev-proj
check "user create" openstack user create dave --password dave-pw --project rev-proj
check "role add" openstack role add --user dave --project rev-proj member
check "dave's token" env OS_USERNAME=dave OS_PASSWORD=dave-pw OS_PROJECT_NAME=rev-proj \
  openstack token issue -f value -c id
token=$(cat "$E2E_DIR/out")

"$GUREUM_BUILD_DIR/tests/e2e/auth_probe" --identity "127.0.0.1:$grpc_port" \
  --transport-url "$GUREUM_TEST_AMQP_URL" --token "$token" --timeout 60 \
  >"$E2E_DIR/probe.out" 2>"$E2E_DIR/probe.err" &
probe=$!
E2E_PIDS+=($probe)
for _ in $(seq 1 300); do grep -q '^valid' "$E2E_DIR/probe.out" && break; sleep 0.1; done
grep -q '^valid' "$E2E_DIR/probe.out" || { cat "$E2E_DIR/probe.err"; fail "the probe never accepted dave's token"; }
pass_count=$((pass_count + 1)); echo "ok: the other process accepts dave's token"

disabled_at=$(date +%s%3N)
check "disable dave" openstack user set --disable dave
wait "$probe" || { cat "$E2E_DIR/probe.err"; fail "the probe never saw the token revoked"; }
noticed_at=$(awk '/^invalid/ {print $2}' "$E2E_DIR/probe.out")
delay=$((noticed_at - disabled_at))
echo "the other process refused the token ${delay} ms after the disable command started"
[ "$delay" -le 5000 ] || fail "revocation took ${delay} ms (> 5 s)"
pass_count=$((pass_count + 1)); echo "ok: revoked in another process within 5 s"

psql -q "$GUREUM_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
echo "$pass_count passed, 0 failed"
