#!/usr/bin/env bash
# End to end, issue 3: "a disabled user's existing token stops working in another service
# process within 5 s". gureum-identity runs for real; auth_probe (tests/e2e/auth_probe.cc)
# is the other service process: it verifies the token locally, as every service does,
# and learns of revocations from the identity.revocations fanout on RabbitMQ.
source "$(dirname "$0")/lib.sh"

deploy_identity admin-pw

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

drop_identity_database
echo "$pass_count passed, 0 failed"
