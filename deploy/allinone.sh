#!/bin/bash
# Installs and runs Gureum on this one host (packstack --allinone style):
#
#   1. installs the Debian packages in deploy/packages.txt (deploy/install-deps.sh)
#   2. writes /etc/gureum/answers.conf with random secrets on the first run; reads it after
#   3. builds (Release) and installs the binaries into /usr/local/bin
#   4. starts PostgreSQL, RabbitMQ and libvirtd if they are not running
#      (directly on a host without systemd, through systemd where it is PID 1)
#   5. creates Gureum's PostgreSQL role and databases, RabbitMQ user and vhost
#   6. writes /etc/gureum/gureum.conf and runs gureum-manage db sync (once it is built)
#   7. writes /etc/gureum/services.conf and starts (or reloads) gureum-deploy, which runs
#      the services under supervision, logs in /var/log/gureum; object storage's ring and
#      servers come from deploy/allinone_object.sh
#
# Running it again is safe: each step checks before it acts, and a reload restarts only
# the services whose command, binary or configuration changed.
#
# Environment (for development; the defaults are what operators use):
#   GUREUM_BUILD_DIR  build tree (default: <repo>/build, shared with ./tests/run.sh)
#   GUREUM_ANSWERS    answer file (default: /etc/gureum/answers.conf)
#   GUREUM_JOBS       parallel build jobs (default: number of CPUs)
#   GUREUM_SKIP_BUILD=1  use the binaries already in /usr/local/bin
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${GUREUM_BUILD_DIR:-$REPO/build}
ETC_DIR=/etc/gureum
ANSWERS=${GUREUM_ANSWERS:-$ETC_DIR/answers.conf}
CONF=$ETC_DIR/gureum.conf
SERVICES_CONF=$ETC_DIR/services.conf
LOG_DIR=/var/log/gureum
STATE_DIR=/run/gureum
BIN_DIR=/usr/local/bin
PG_VERSION=15
PG_CLUSTER=main
DATABASES="identity compute scheduler image network block_storage"
# Binaries copied into BIN_DIR when the build has them; services come and go with issues.
BINARIES="gureum-deploy gureum-manage gureum gureum-identity gureum-image gureum-compute-api
  gureum-scheduler gureum-compute-agent gureum-network gureum-network-agent
  gureum-block-storage gureum-volume-agent gureum-object-proxy gureum-object-server gureum-dashboard"

# Other RabbitMQ nodes on this host (test brokers) must not be the ones we talk to.
unset RABBITMQ_NODENAME RABBITMQ_NODE_PORT RABBITMQ_CONFIG_FILE RABBITMQ_MNESIA_BASE \
  RABBITMQ_ENABLED_PLUGINS_FILE RABBITMQ_LOG_BASE RABBITMQ_PID_FILE RABBITMQ_NODE_IP_ADDRESS
export DEBIAN_FRONTEND=noninteractive

# shellcheck source=deploy/allinone_object.sh
source "$REPO/deploy/allinone_object.sh"

started_at=$(date +%s)
step() { echo; echo "==> $*"; }
note() { echo "    $*"; }
die() { echo "allinone: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root"
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then HAVE_SYSTEMD=1; else HAVE_SYSTEMD=0; fi

# Replaces `path` with the content of `tmp` only if it differs; prints whether it did,
# so reruns leave files (and their mtimes) alone.
install_if_changed() {  # tmp path mode
  local tmp=$1 path=$2 mode=$3
  if [ -f "$path" ] && cmp -s "$tmp" "$path"; then
    rm -f "$tmp"
    note "$path unchanged"
    return 1
  fi
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$path"
  note "wrote $path"
  return 0
}

# Polls `command...` every half second until it succeeds or `seconds` pass.
wait_for() {  # seconds description command...
  local seconds=$1 what=$2
  shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "timed out after ${seconds}s waiting for $what"
    sleep 0.5
  done
}

# --------------------------------------------------------------------------------------
step "1/7 packages"
"$REPO/deploy/install-deps.sh"

# --------------------------------------------------------------------------------------
step "2/7 answer file $ANSWERS"
random_secret() { openssl rand -hex 16; }
primary_ip() {
  ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1
}
install -d -m 0755 "$ETC_DIR"
template="$REPO/deploy/answers.conf.template"
host_ip=$(primary_ip)
host_ip=${host_ip:-127.0.0.1}
host_name=$(hostname -s)
# Fills one template line: placeholders become values, every @GENERATE@ its own secret.
fill_line() {
  local line=$1
  while [[ $line == *@GENERATE@* ]]; do line=${line/@GENERATE@/$(random_secret)}; done
  line=${line//@HOST_IP@/$host_ip}
  printf '%s\n' "${line//@HOSTNAME@/$host_name}"
}
if [ ! -f "$ANSWERS" ]; then
  umask 077
  while IFS= read -r line || [ -n "$line" ]; do fill_line "$line"; done < "$template" \
    > "$ANSWERS.tmp"
  mv "$ANSWERS.tmp" "$ANSWERS"
  umask 022
  note "generated $ANSWERS with new secrets"
else
  # Keys added to the template since the file was written are appended, with fresh
  # values; existing keys (and their secrets) are never touched.
  while IFS= read -r line; do
    key=${line%%=*}
    if ! grep -q "^${key}=" "$ANSWERS"; then
      fill_line "$line" >> "$ANSWERS"
      note "added $key"
    fi
  done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$template")
  note "kept existing $ANSWERS"
fi
chmod 0600 "$ANSWERS"

# Reads KEY=VALUE lines without executing the file (it is data, not a script).
declare -A A
while IFS= read -r line; do
  key=${line%%=*}
  value=${line#*=}
  A[$key]=$value
done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$ANSWERS")
for key in CONFIG_HOST_IP CONFIG_HOSTNAME CONFIG_DB_PORT CONFIG_DB_USER CONFIG_DB_PASSWORD \
  CONFIG_AMQP_PORT CONFIG_AMQP_USER CONFIG_AMQP_VHOST CONFIG_AMQP_PASSWORD \
  CONFIG_ADMIN_PASSWORD; do
  [ -n "${A[$key]:-}" ] || die "$ANSWERS: $key is empty"
done
[[ ${A[CONFIG_DB_PASSWORD]} =~ ^[A-Za-z0-9_.-]+$ ]] ||
  die "$ANSWERS: CONFIG_DB_PASSWORD may hold only [A-Za-z0-9_.-] (it goes into SQL and URLs)"
[[ ${A[CONFIG_AMQP_PASSWORD]} =~ ^[A-Za-z0-9_.-]+$ ]] ||
  die "$ANSWERS: CONFIG_AMQP_PASSWORD may hold only [A-Za-z0-9_.-] (it goes into a URL)"
IP=${A[CONFIG_HOST_IP]}
note "host ${A[CONFIG_HOSTNAME]} at $IP; services: ${A[CONFIG_SERVICES]:-(none)}"

# --------------------------------------------------------------------------------------
step "3/7 build (Release) in $BUILD_DIR"
if [ "${GUREUM_SKIP_BUILD:-0}" = 1 ]; then
  note "skipped (GUREUM_SKIP_BUILD=1)"
else
  # Only the options every user of this tree agrees on are passed, so that allinone and
  # ./tests/run.sh, which share build/, do not flip each other's cache (tests stay ON;
  # we just do not build them).
  mkdir -p "$BUILD_DIR"
  cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > "$BUILD_DIR/allinone-configure.log" 2>&1 ||
    { tail -n 40 "$BUILD_DIR/allinone-configure.log" >&2; die "cmake configure failed"; }
  known=$(ninja -C "$BUILD_DIR" -t targets all | sed -n 's/^\([^:]*\): .*/\1/p')
  targets=""
  for b in $BINARIES; do
    if grep -qx "$b" <<< "$known"; then targets="$targets $b"; fi
  done
  note "building:$targets"
  # shellcheck disable=SC2086
  ninja -C "$BUILD_DIR" -j "${GUREUM_JOBS:-$(nproc)}" $targets
  for b in $targets; do
    path=$(find "$BUILD_DIR" -type f -name "$b" -perm -u+x -not -path '*/CMakeFiles/*' -print -quit)
    [ -n "$path" ] || die "built $b but cannot find it under $BUILD_DIR"
    # -C: an unchanged binary keeps its file, so nothing restarts for it.
    install -C -m 0755 "$path" "$BIN_DIR/$b"
  done
  note "installed into $BIN_DIR:$targets"
fi
[ -x "$BIN_DIR/gureum-deploy" ] || die "$BIN_DIR/gureum-deploy is missing (build failed?)"
# The dashboard's web app (read per request: a changed file needs no restart). Bootstrap
# and Chart.js are served from Debian's /usr/share/javascript.
DASHBOARD_WEB=/usr/local/share/gureum/dashboard
(cd "$REPO/dashboard/web" && find . -type f) | while read -r f; do
  install -C -D -m 0644 "$REPO/dashboard/web/$f" "$DASHBOARD_WEB/$f"
done

# --------------------------------------------------------------------------------------
step "4/7 PostgreSQL, RabbitMQ, libvirtd"
install -d -m 0755 "$LOG_DIR" "$STATE_DIR"

# PostgreSQL: the Debian cluster $PG_VERSION/$PG_CLUSTER, listening on localhost and IP.
pg_conf_dir=/etc/postgresql/$PG_VERSION/$PG_CLUSTER
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/$PG_CLUSTER"; then
  note "creating cluster $PG_VERSION/$PG_CLUSTER"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "${A[CONFIG_DB_PORT]}" >/dev/null
fi
pg_restart=0
tmp=$(mktemp)
cat > "$tmp" <<EOF
# Written by Gureum's allinone.sh from $ANSWERS; edits here are overwritten.
listen_addresses = 'localhost,$IP'
port = ${A[CONFIG_DB_PORT]}
max_connections = 300
EOF
install_if_changed "$tmp" "$pg_conf_dir/conf.d/gureum.conf" 0644 && pg_restart=1
# pg_hba.conf: one marked block of ours, replaced in place on every run.
hba=$pg_conf_dir/pg_hba.conf
tmp=$(mktemp)
sed '/^# BEGIN gureum/,/^# END gureum/d' "$hba" > "$tmp"
cat >> "$tmp" <<EOF
# BEGIN gureum (allinone.sh): Gureum's services log in with a password from anywhere
host    all    ${A[CONFIG_DB_USER]}    0.0.0.0/0    scram-sha-256
host    all    ${A[CONFIG_DB_USER]}    ::/0         scram-sha-256
# END gureum
EOF
chown --reference="$hba" "$tmp"
install_if_changed "$tmp" "$hba" 0640 && pg_restart=1
if [ "$HAVE_SYSTEMD" = 1 ]; then
  systemctl enable --now "postgresql@$PG_VERSION-$PG_CLUSTER"
  [ "$pg_restart" = 0 ] || systemctl restart "postgresql@$PG_VERSION-$PG_CLUSTER"
elif pg_lsclusters -h | awk -v c="$PG_VERSION/$PG_CLUSTER" '$1"/"$2==c {print $4}' | grep -q online; then
  if [ "$pg_restart" = 1 ]; then
    note "configuration changed: restarting PostgreSQL"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
  else
    note "PostgreSQL $PG_VERSION/$PG_CLUSTER already running"
  fi
else
  note "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
psql_admin() { runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -p "${A[CONFIG_DB_PORT]}" "$@"; }
wait_for 60 "PostgreSQL" psql_admin -c 'SELECT 1'

# RabbitMQ: the default node rabbit@<host> on CONFIG_AMQP_PORT.
rabbit_node=rabbit@$(hostname -s)
rabbit_up() { rabbitmqctl -q -n "$rabbit_node" status >/dev/null 2>&1; }
if [ "$HAVE_SYSTEMD" = 1 ]; then
  systemctl enable --now rabbitmq-server
elif rabbit_up; then
  note "RabbitMQ $rabbit_node already running"
else
  note "starting RabbitMQ $rabbit_node"
  # Debian's wrapper runs the server as the rabbitmq user; -detached returns at once.
  RABBITMQ_NODE_PORT=${A[CONFIG_AMQP_PORT]} rabbitmq-server -detached </dev/null >/dev/null 2>&1
fi
wait_for 120 "RabbitMQ" rabbitmqctl -q -n "$rabbit_node" await_startup --timeout 10

# libvirt: without libvirt-daemon-system (it drags in polkit and systemd units) we make
# its users, configuration and daemons ourselves. virtlogd must run before qemu:///system
# can start a domain.
getent group kvm >/dev/null || groupadd -r kvm
getent group libvirt >/dev/null || groupadd -r libvirt
getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
getent passwd libvirt-qemu >/dev/null ||
  useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin \
    -c "Libvirt Qemu" libvirt-qemu
install -d -m 0755 /var/lib/libvirt /var/lib/libvirt/images /var/log/libvirt /run/libvirt
# Image store and instance disks (qemu reads the latter as libvirt-qemu: 0755 paths).
install -d -m 0755 /var/lib/gureum /var/lib/gureum/images /var/lib/gureum/instances
install -d -m 0700 /var/lib/gureum/dashboard
tmp=$(mktemp)
cat > "$tmp" <<'EOF'
# Written by Gureum's allinone.sh. No polkit on this host: root and group libvirt may
# use the read-write socket, with no further authentication.
unix_sock_group = "libvirt"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
EOF
libvirt_restart=0
install_if_changed "$tmp" /etc/libvirt/libvirtd.conf 0644 && libvirt_restart=1
if [ "$HAVE_SYSTEMD" = 1 ]; then
  systemctl enable --now virtlogd libvirtd
  [ "$libvirt_restart" = 0 ] || systemctl restart libvirtd
else
  if pgrep -x virtlogd >/dev/null; then note "virtlogd already running"; else
    note "starting virtlogd"; virtlogd -d
  fi
  libvirtd_pid=""
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    # The libvirtd answering on this host's socket (test hosts in network namespaces run
    # libvirtds of their own, which are not ours to restart).
    libvirtd_pid=$(cat /run/libvirtd.pid 2>/dev/null || pgrep -x -n libvirtd || true)
  fi
  if [ -n "$libvirtd_pid" ] && [ "$libvirt_restart" = 1 ]; then
    note "configuration changed: restarting libvirtd"
    kill "$libvirtd_pid"
    wait_for 30 "libvirtd to exit" sh -c "! kill -0 $libvirtd_pid"
    libvirtd_pid=""
  fi
  if [ -n "$libvirtd_pid" ]; then note "libvirtd already running"; else
    note "starting libvirtd"; libvirtd -d
  fi
fi
wait_for 60 "libvirtd" virsh -c qemu:///system version

# --------------------------------------------------------------------------------------
step "5/7 databases and message bus"
DB_USER=${A[CONFIG_DB_USER]}
# The role's password follows the answer file on every run, so editing the file and
# rerunning is how it is rotated.
psql_admin <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN;
  END IF;
END \$\$;
SET password_encryption = 'scram-sha-256';
ALTER ROLE "$DB_USER" WITH LOGIN PASSWORD '${A[CONFIG_DB_PASSWORD]}';
EOF
for db in $DATABASES; do
  name=gureum_$db
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" = 1 ]; then
    note "database $name exists"
  else
    psql_admin -c "CREATE DATABASE $name OWNER \"$DB_USER\""
    note "created database $name"
  fi
done

AMQP_USER=${A[CONFIG_AMQP_USER]}
VHOST=${A[CONFIG_AMQP_VHOST]}
rmq() { rabbitmqctl -q -n "$rabbit_node" "$@"; }
if rmq list_vhosts --no-table-headers | grep -qx "$VHOST"; then
  note "vhost $VHOST exists"
else
  rmq add_vhost "$VHOST" && note "created vhost $VHOST"
fi
if rmq list_users --no-table-headers | awk '{print $1}' | grep -qx "$AMQP_USER"; then
  rmq change_password "$AMQP_USER" "${A[CONFIG_AMQP_PASSWORD]}" >/dev/null
  note "user $AMQP_USER exists; password set from the answer file"
else
  rmq add_user "$AMQP_USER" "${A[CONFIG_AMQP_PASSWORD]}" >/dev/null
  note "created user $AMQP_USER"
fi
rmq set_permissions -p "$VHOST" "$AMQP_USER" '.*' '.*' '.*' >/dev/null
# The broker's own "guest" account only works from localhost; leave it as Debian has it.

# --------------------------------------------------------------------------------------
step "6/7 configuration $CONF"
debug=false
case "${A[CONFIG_DEBUG]:-false}" in true|yes|1|True) debug=true ;; esac
# Servers get network interfaces when gureum-network runs here (compute-api checks the
# requested networks, the compute agents ask it for ports).
network_grpc=""
case " ${A[CONFIG_SERVICES]//,/ } " in *" network "*) network_grpc="$IP:19696" ;; esac
# Servers can have volumes attached when gureum-block-storage runs here.
block_storage_grpc=""
case " ${A[CONFIG_SERVICES]//,/ } " in *" block-storage "*) block_storage_grpc="$IP:18776" ;; esac
# Block storage tells compute-api of grown attached volumes when compute-api runs here.
compute_grpc=""
case " ${A[CONFIG_SERVICES]//,/ } " in *" compute-api "*) compute_grpc="$IP:18774" ;; esac
# This host's volume agent keeps its volumes (qcow2 files) under CONFIG_VOLUME_DIR.
volume_dir=${A[CONFIG_VOLUME_DIR]:-/var/lib/gureum/volumes}
case " ${A[CONFIG_SERVICES]//,/ } " in
  *" volume-agent "*) mkdir -p "$volume_dir" /var/lib/gureum/volume-agent ;;
esac
tmp=$(mktemp)
cat > "$tmp" <<EOF
# Written by ./deploy/allinone.sh from $ANSWERS on every run; edit that file instead.
[DEFAULT]
host = ${A[CONFIG_HOSTNAME]}
my_ip = $IP
transport_url = amqp://$AMQP_USER:${A[CONFIG_AMQP_PASSWORD]}@$IP:${A[CONFIG_AMQP_PORT]}/$VHOST
log_dir = $LOG_DIR
state_dir = $STATE_DIR
debug = $debug
region = ${A[CONFIG_REGION]:-RegionOne}

[database]
# Each service uses its own database, gureum_<service>, on this server.
connection = postgresql://$DB_USER:${A[CONFIG_DB_PASSWORD]}@$IP:${A[CONFIG_DB_PORT]}

[policy]
# true: the admin role on any project is a cloud admin (OpenStack's legacy rule).
legacy_admin = ${A[CONFIG_POLICY_LEGACY_ADMIN]:-false}

[identity]
public_host = $IP
region = ${A[CONFIG_REGION]:-RegionOne}
key_repository = $ETC_DIR/identity-keys

[service_auth]
# The services' own user (gureum-manage identity bootstrap creates it).
identity_grpc = $IP:15000
username = gureum
password = ${A[CONFIG_SERVICE_PASSWORD]}
project_name = service

[image]
# file: images in filesystem_store_datadir; object: in object storage (the proxy here), in
# the service user's account, container glance.
store = ${A[CONFIG_IMAGE_STORE]:-file}
filesystem_store_datadir = /var/lib/gureum/images
object_store_url = http://$IP:8080

[scheduler]
compute_api_grpc = $IP:18774

[compute]
# Read by gureum-compute-api (service_down_time, image/placement endpoints) and by this
# host's gureum-compute-agent (the rest); the agent's host name is [DEFAULT] host.
service_down_time = ${A[CONFIG_SERVICE_DOWN_TIME]:-60}s
image_grpc = $IP:19292
placement_grpc = $IP:18778
virt_type = ${A[CONFIG_VIRT_TYPE]:-auto}
instances_path = /var/lib/gureum/instances
report_interval = ${A[CONFIG_REPORT_INTERVAL]:-10}
allow_resize_to_same_host = ${A[CONFIG_ALLOW_RESIZE_TO_SAME_HOST]:-true}
network_grpc = $network_grpc
block_storage_grpc = $block_storage_grpc

[network]
# gureum-network: Neutron v2.0 REST on 9696, gRPC on 19696; tenant networks are VXLAN.
vni_ranges = ${A[CONFIG_NETWORK_VNI_RANGES]:-1:10000}

[block_storage]
# gureum-block-storage: Cinder v3 REST on 8776, gRPC on 18776, volumes scheduled onto the
# volume agents' backends. compute_grpc: told when an attached volume grew (the guest
# then sees the new size without a reboot).
image_grpc = $IP:19292
compute_grpc = $compute_grpc
service_down_time = ${A[CONFIG_SERVICE_DOWN_TIME]:-60}

[volume]
# This host's gureum-volume-agent: backends as name:directory (qcow2 files), exported to
# compute hosts over NBD on export_address.
backends = ${A[CONFIG_VOLUME_BACKEND_NAME]:-file}:$volume_dir
export_address = ${A[CONFIG_VOLUME_EXPORT_ADDRESS]:-$IP}
export_filter = ${A[CONFIG_VOLUME_EXPORT_FILTER]:-nftables}
state_dir = /var/lib/gureum/volume-agent
image_grpc = $IP:19292
report_interval = ${A[CONFIG_REPORT_INTERVAL]:-10}

[dashboard]
# gureum-dashboard: the web console on rest_port; logs users in at identity's REST API.
rest_port = ${A[CONFIG_DASHBOARD_PORT]:-8000}
identity_url = http://$IP:5000
web_root = $DASHBOARD_WEB
secure_cookie = ${A[CONFIG_DASHBOARD_SECURE_COOKIE]:-false}
session_idle_timeout = ${A[CONFIG_DASHBOARD_IDLE_TIMEOUT]:-30m}
# Sessions survive a restart of the dashboard: kept sealed (libsodium) in this file, its
# key beside it, both 0600.
session_file = /var/lib/gureum/dashboard/sessions

[network_agent]
# This host's gureum-network-agent: bridges, VXLAN (endpoint local_ip), DHCP, routers,
# security groups. physical_interface_mappings: physnet:interface for flat/VLAN networks.
network_grpc = $IP:19696
local_ip = $IP
physical_interface_mappings = ${A[CONFIG_NETWORK_PHYSICAL_INTERFACE_MAPPINGS]:-}
report_interval = ${A[CONFIG_REPORT_INTERVAL]:-10}

[object_proxy]
# gureum-object-proxy: the Swift API on 8080; objects placed by the ring (reloaded when
# the file changes). The object servers add their own files (object-server-<N>.conf).
rest_port = 8080
ring_file = $OBJECT_RING
EOF
install_if_changed "$tmp" "$CONF" 0640 || true

if [ -x "$BIN_DIR/gureum-manage" ]; then
  # gureum-manage names services as the databases do (block_storage).
  for service in $DATABASES; do
    "$BIN_DIR/gureum-manage" --config-file "$CONF" db sync "$service" ||
      die "gureum-manage db sync $service failed"
  done
else
  note "gureum-manage is not built yet: skipping db sync"
fi

# The admin account, roles and service catalog (idempotent; a changed
# CONFIG_ADMIN_PASSWORD resets the admin's password). Also creates the token signing keys.
# The catalog lists the services this answer file runs, and only those (a client never
# tries an endpoint nobody serves; a service dropped from CONFIG_SERVICES leaves it).
catalog=identity
for service in ${A[CONFIG_SERVICES]//,/ }; do
  case $service in
    image) catalog+=,image ;;
    compute-api) catalog+=,compute ;;
    scheduler) catalog+=,placement ;;
    network) catalog+=,network ;;
    block-storage) catalog+=,volumev3,block-storage ;;
    object-proxy) catalog+=,object-store ;;
  esac
done
if [ -x "$BIN_DIR/gureum-manage" ]; then
  "$BIN_DIR/gureum-manage" --config-file "$CONF" identity bootstrap \
    --admin-password "${A[CONFIG_ADMIN_PASSWORD]}" --public-host "$IP" --catalog "$catalog" \
    --region "${A[CONFIG_REGION]:-RegionOne}" | sed 's/^/    /' ||
    die "gureum-manage identity bootstrap failed"
fi

if object_storage_enabled; then
  object_write_configs
  object_build_ring
fi

# Operator credentials for the gureum and openstack CLIs.
rc=$ETC_DIR/admin-openrc
tmp=$(mktemp)
cat > "$tmp" <<EOF
# Source this file to use the gureum and openstack CLIs as the admin user.
export OS_AUTH_URL=http://$IP:5000/v3
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD=${A[CONFIG_ADMIN_PASSWORD]}
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=${A[CONFIG_REGION]:-RegionOne}
EOF
install_if_changed "$tmp" "$rc" 0600 || true

# --------------------------------------------------------------------------------------
step "7/7 services under gureum-deploy"
# A service's line ends with a shell comment carrying a digest of its binary and of
# gureum.conf: the supervisor restarts a service when its line changes, so a rebuilt
# binary or a changed configuration restarts it, and nothing else does.
conf_sum=$(sha256sum "$CONF" | cut -c1-12)
tmp=$(mktemp)
echo "# Written by ./deploy/allinone.sh from CONFIG_SERVICES in $ANSWERS." > "$tmp"
for service in ${A[CONFIG_SERVICES]//,/ }; do
  if [ "$service" = object-server ]; then
    object_server_lines "$conf_sum" >> "$tmp"
    continue
  fi
  binary=$BIN_DIR/gureum-$service
  if [ ! -x "$binary" ]; then
    note "$service: $binary is not built yet; skipping"
    continue
  fi
  bin_sum=$(sha256sum "$binary" | cut -c1-12)
  echo "$service $binary --config-file $CONF # bin=$bin_sum conf=$conf_sum" >> "$tmp"
done
install_if_changed "$tmp" "$SERVICES_CONF" 0644 || true
deploy() { "$BIN_DIR/gureum-deploy" "$@"; }
state_file=$STATE_DIR/supervisor.json
if deploy status --state-dir "$STATE_DIR" >/dev/null; then
  # A reload is asynchronous: wait until the supervisor has rewritten its state file.
  before=$(stat -c %y "$state_file")
  state_changed() { [ "$(stat -c %y "$state_file")" != "$before" ]; }
  deploy reload --state-dir "$STATE_DIR"
  wait_for 10 "the supervisor to reload" state_changed
  note "supervisor reloaded"
else
  deploy supervise --services "$SERVICES_CONF" --state-dir "$STATE_DIR" --log-dir "$LOG_DIR"
  wait_for 10 "supervisor state" test -s "$state_file"
fi
deploy status --state-dir "$STATE_DIR"

# The cloud answers: identity issues a token to the admin (what every client does first).
if grep -q '^identity ' "$SERVICES_CONF"; then
  # After a reload the old process may still answer while it stops: wait for the new one.
  identity_running() { deploy status --state-dir "$STATE_DIR" | grep -qE '^identity +running'; }
  wait_for 30 "the identity service to run" identity_running
  identity_up() { curl -sf -o /dev/null "http://$IP:5000/v3"; }
  wait_for 30 "identity on http://$IP:5000/v3" identity_up
  issue_token() {  # the body goes through stdin so the password never shows in ps
    printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin",'\
'"domain":{"id":"default"},"password":"%s"}}},"scope":{"project":{"name":"admin",'\
'"domain":{"id":"default"}}}}}' "${A[CONFIG_ADMIN_PASSWORD]}" |
      curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @- \
        "http://$IP:5000/v3/auth/tokens"
  }
  wait_for 30 "an admin token from identity" issue_token
  note "identity answers: admin token issued"
fi

# The other REST APIs answer (version discovery needs no token).
for pair in image:9292 compute-api:8774 scheduler:8778 network:9696 object-proxy:8080 \
  dashboard:${A[CONFIG_DASHBOARD_PORT]:-8000}; do
  service=${pair%%:*} port=${pair##*:}
  grep -q "^$service " "$SERVICES_CONF" || continue
  api_up() { curl -s -o /dev/null "http://$IP:$1/"; }
  wait_for 60 "$service on http://$IP:$port/" api_up "$port"
  note "$service answers on port $port"
done

echo
echo "Gureum all-in-one is ready ($(($(date +%s) - started_at))s)."
if grep -q '^dashboard ' "$SERVICES_CONF"; then
  echo "  dashboard:     http://$IP:${A[CONFIG_DASHBOARD_PORT]:-8000}/   (log in as admin, Default domain)"
else
  echo "  dashboard:     not running (add dashboard to CONFIG_SERVICES in $ANSWERS)"
fi
echo "  credentials:   source $rc"
echo "  answer file:   $ANSWERS   (edit it and rerun ./deploy/allinone.sh to reconfigure)"
echo "  logs:          $LOG_DIR/<service>.log"
echo "  services:      gureum-deploy status | stop | reload"
