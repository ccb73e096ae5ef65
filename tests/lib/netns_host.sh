#!/usr/bin/env bash
# A second (third, ...) "host" on this machine, for multi-node tests: a network namespace
# with its own address on a test bridge, and its own libvirt (virtlogd + libvirtd started
# inside the namespace, with private copies of libvirt's run, state, log and config
# folders bind-mounted over the usual paths), so its VMs and taps are unseen by the others.
#
#   tests/lib/netns_host.sh up NAME ADDR/PREFIX [BRIDGE]   create and start the host
#   tests/lib/netns_host.sh exec NAME CMD...               run CMD on it (its network,
#                                                          its libvirt paths)
#   tests/lib/netns_host.sh down NAME                      stop everything and remove it
#
# The bridge (default gtest0) is made in the root namespace when missing and given the
# first address of ADDR's network, so the controller's services (listening on that address
# or on 0.0.0.0) are reachable from every host. State lives in $GUREUM_NETNS_DIR
# (default /tmp/gureum-netns/NAME). Needs root, iproute2, util-linux (nsenter, unshare).
set -euo pipefail

BASE=${GUREUM_NETNS_DIR:-/tmp/gureum-netns}
die() { echo "netns_host: $*" >&2; exit 1; }

ns_of() { echo "gh-$1"; }
anchor_pid() { cat "$BASE/$1/anchor.pid" 2>/dev/null; }

# Runs a command inside the host's network and mount namespaces.
in_host() {
  local name=$1; shift
  local pid; pid=$(anchor_pid "$name") || die "host $name is not up"
  nsenter --target "$pid" --mount --net -- "$@"
}

cmd_up() {
  local name=$1 cidr=$2 bridge=${3:-gtest0}
  local ns; ns=$(ns_of "$name")
  local dir=$BASE/$name
  [ -e "$dir/anchor.pid" ] && kill -0 "$(anchor_pid "$name")" 2>/dev/null &&
    die "host $name is already up"
  mkdir -p "$dir"/{run,lib,log,etc-qemu,etc-storage,cache}
  local addr=${cidr%/*} prefix=${cidr#*/}
  # The bridge's address: the network's .1 (IPv4 only, enough for tests).
  local gw; gw=$(python3 -c "import ipaddress,sys; n=ipaddress.ip_interface(sys.argv[1]).network; print(next(n.hosts()))" "$cidr")
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add "$gw/$prefix" dev "$bridge"
    ip link set "$bridge" up
  fi
  ip netns add "$ns"
  local veth_root="v${name:0:9}r" veth_ns="v${name:0:9}n"
  ip link add "$veth_root" type veth peer name "$veth_ns"
  ip link set "$veth_ns" netns "$ns"
  ip link set "$veth_root" master "$bridge" up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "$veth_ns" name eth0
  ip -n "$ns" addr add "$cidr" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$gw"
  echo "$veth_root" > "$dir/veth"
  echo "$bridge" > "$dir/bridge"
  echo "$addr" > "$dir/address"

  # Mount points that a fresh libvirt install may not have made yet.
  mkdir -p /run/libvirt /var/lib/libvirt /var/log/libvirt /etc/libvirt/qemu \
    /etc/libvirt/storage /var/cache/libvirt
  # The anchor: a process holding a private mount namespace in which libvirt's folders
  # are this host's own. Everything run on the host joins it (nsenter -m -n).
  ip netns exec "$ns" unshare --mount --propagation private bash -c '
    set -e
    d=$1
    mount --bind "$d/run" /run/libvirt
    mount --bind "$d/lib" /var/lib/libvirt
    mount --bind "$d/log" /var/log/libvirt
    mount --bind "$d/etc-qemu" /etc/libvirt/qemu
    mount --bind "$d/etc-storage" /etc/libvirt/storage
    mount --bind "$d/cache" /var/cache/libvirt
    exec sleep infinity' _ "$dir" </dev/null >"$dir/anchor.log" 2>&1 &
  echo $! > "$dir/anchor.pid"
  # Wait for the mounts (the anchor's /run/libvirt differs from ours once they are made).
  local i
  for i in $(seq 1 50); do
    kill -0 "$(anchor_pid "$name")" 2>/dev/null ||
      die "host $name: $(cat "$dir/anchor.log")"
    if [ "$(in_host "$name" stat -c %i /run/libvirt)" = "$(stat -c %i "$dir/run")" ]; then
      break
    fi
    sleep 0.1
  done
  mkdir -p "$dir/lib/qemu" "$dir/lib/images"
  in_host "$name" virtlogd -d -p "$dir/virtlogd.pid"
  in_host "$name" libvirtd -d -p "$dir/libvirtd.pid"
  for i in $(seq 1 100); do
    in_host "$name" virsh -c qemu:///system version >/dev/null 2>&1 && break
    sleep 0.1
  done
  in_host "$name" virsh -c qemu:///system version >/dev/null 2>&1 ||
    die "libvirtd on host $name did not answer (see $dir/log)"
  echo "host $name up: namespace $ns, address $addr, libvirt in $dir"
}

cmd_down() {
  local name=$1
  local ns; ns=$(ns_of "$name")
  local dir=$BASE/$name
  if [ -e "$dir/anchor.pid" ] && kill -0 "$(anchor_pid "$name")" 2>/dev/null; then
    # Domains first (their QEMU processes live in this namespace), then the daemons.
    local dom
    for dom in $(in_host "$name" virsh -c qemu:///system list --all --name 2>/dev/null); do
      in_host "$name" virsh -c qemu:///system destroy "$dom" >/dev/null 2>&1 || true
      in_host "$name" virsh -c qemu:///system undefine "$dom" --nvram >/dev/null 2>&1 ||
        in_host "$name" virsh -c qemu:///system undefine "$dom" >/dev/null 2>&1 || true
    done
    local f
    for f in libvirtd virtlogd; do
      [ -s "$dir/$f.pid" ] && kill "$(cat "$dir/$f.pid")" 2>/dev/null || true
    done
    kill "$(anchor_pid "$name")" 2>/dev/null || true
  fi
  # Anything else still in the namespace (an agent the test started) goes too.
  local pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  local i
  for i in $(seq 1 50); do  # up to 5 s to stop cleanly
    [ -z "$(ip netns pids "$ns" 2>/dev/null || true)" ] && break
    sleep 0.1
  done
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
  [ -s "$dir/veth" ] && ip link del "$(cat "$dir/veth")" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
  # The bridge (and the folder of hosts) goes with the last host.
  if [ -z "$(ls -A "$BASE" 2>/dev/null)" ]; then
    ip link del gtest0 2>/dev/null || true
    rmdir "$BASE" 2>/dev/null || true
  fi
}

case "${1:-}" in
  up) shift; [ $# -ge 2 ] || die "usage: up NAME ADDR/PREFIX [BRIDGE]"; cmd_up "$@" ;;
  exec)
    shift; [ $# -ge 2 ] || die "usage: exec NAME CMD..."; name=$1; shift
    # exec: the caller's $! is the command itself (nsenter joins, then execs it).
    pid=$(anchor_pid "$name") || die "host $name is not up"
    exec nsenter --target "$pid" --mount --net -- "$@" ;;
  down) shift; [ $# -ge 1 ] || die "usage: down NAME"; cmd_down "$1" ;;
  *) die "usage: $0 up|exec|down ..." ;;
esac
