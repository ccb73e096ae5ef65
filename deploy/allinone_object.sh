# Object storage on the all-in-one (issue 19), sourced by allinone.sh (which defines A,
# IP, ETC_DIR, CONF, BIN_DIR, note, die and install_if_changed): CONFIG_OBJECT_SERVERS
# object servers, one device each, on $IP ports 6200, 6201, ...; the ring that places
# partitions on them; and the lines of services.conf that run them.
#
#   /etc/gureum/object.ring                the ring (gureum-manage object ring ...)
#   /etc/gureum/object-server-<N>.conf     server N: its port and devices directory
#   <CONFIG_OBJECT_DEVICES_DIR>/node<N>/sd<N>   server N's device

OBJECT_RING=$ETC_DIR/object.ring
OBJECT_FIRST_PORT=6200

object_storage_enabled() {
  case " ${A[CONFIG_SERVICES]//,/ } " in *" object-server "* | *" object-proxy "*) return 0 ;; esac
  return 1
}

object_servers() { echo "${A[CONFIG_OBJECT_SERVERS]:-3}"; }
object_devices_dir() { echo "${A[CONFIG_OBJECT_DEVICES_DIR]:-/var/lib/gureum/objects}"; }

# Checks the answers, makes the device directories and writes each server's file.
object_write_configs() {
  local n replicas i tmp root
  n=$(object_servers)
  replicas=${A[CONFIG_OBJECT_REPLICAS]:-3}
  [[ $n =~ ^[1-9][0-9]?$ ]] || die "CONFIG_OBJECT_SERVERS must be 1..99, not '$n'"
  [[ $replicas =~ ^[1-9]$ ]] || die "CONFIG_OBJECT_REPLICAS must be 1..9, not '$replicas'"
  [ "$replicas" -le "$n" ] ||
    die "CONFIG_OBJECT_REPLICAS ($replicas) exceeds CONFIG_OBJECT_SERVERS ($n)"
  for ((i = 1; i <= n; i++)); do
    root=$(object_devices_dir)/node$i
    install -d -m 0750 "$root" "$root/sd$i"
    tmp=$(mktemp)
    cat > "$tmp" <<EOF
# Written by ./deploy/allinone.sh: object server $i of $n, read after gureum.conf.
[DEFAULT]
# Logs go to stdout, which gureum-deploy keeps in /var/log/gureum/object-server-$i.log.
log_dir =

[object_server]
host = $IP
rest_port = $((OBJECT_FIRST_PORT + i - 1))
devices = $root
# The ring (reloaded when it changes); the replicator finds this server in it by host and
# rest_port.
ring_file = $OBJECT_RING
EOF
    install_if_changed "$tmp" "$ETC_DIR/object-server-$i.conf" 0640 || true
  done
}

# Creates the ring if missing and adds the devices it lacks (then rebalances); a ring that
# has them all is left alone, so a rerun changes nothing.
object_build_ring() {
  local manage="$BIN_DIR/gureum-manage" n i port added=0
  [ -x "$manage" ] || { note "gureum-manage is not built yet: no object ring"; return 0; }
  n=$(object_servers)
  if [ ! -f "$OBJECT_RING" ]; then
    "$manage" object ring create "$OBJECT_RING" --part-power "${A[CONFIG_OBJECT_PART_POWER]:-10}" \
      --replicas "${A[CONFIG_OBJECT_REPLICAS]:-3}" | sed 's/^/    /'
  fi
  for ((i = 1; i <= n; i++)); do
    port=$((OBJECT_FIRST_PORT + i - 1))
    if "$manage" object ring show "$OBJECT_RING" |
      awk -v ip="$IP" -v port="$port" -v dev="sd$i" '$4 == ip && $5 == port && $6 == dev {f = 1}
        END {exit !f}'; then
      continue
    fi
    "$manage" object ring add "$OBJECT_RING" --region 1 --zone "$i" --ip "$IP" --port "$port" \
      --device "sd$i" --weight 100 | sed 's/^/    /'
    added=1
  done
  if [ "$added" = 1 ]; then
    "$manage" object ring rebalance "$OBJECT_RING" | sed 's/^/    /'
  else
    note "$OBJECT_RING has its $n devices"
  fi
  chmod 0644 "$OBJECT_RING"
}

# services.conf lines for the object servers: object-server-<N>, each with gureum.conf and
# its own file, the digest covering both.
object_server_lines() {  # conf_sum
  local binary="$BIN_DIR/gureum-object-server" n i own bin_sum
  [ -x "$binary" ] || { note "object-server: $binary is not built yet; skipping"; return 0; }
  bin_sum=$(sha256sum "$binary" | cut -c1-12)
  n=$(object_servers)
  for ((i = 1; i <= n; i++)); do
    own=$ETC_DIR/object-server-$i.conf
    echo "object-server-$i $binary --config-file $CONF --config-file $own" \
      "# bin=$bin_sum conf=$1 own=$(sha256sum "$own" | cut -c1-12)"
  done
}
