#!/usr/bin/env bash
# libvirt for the tests that boot real VMs (qemu:///system), on hosts without systemd:
#
#   tests/lib/libvirt.sh start DIR   use the running libvirtd, or start virtlogd + libvirtd
#                                    (daemonised, pid files in DIR); writes DIR/libvirt.env
#                                    with GUREUM_TEST_LIBVIRT_URI=qemu:///system
#   tests/lib/libvirt.sh stop DIR    stops only the daemons this script started in DIR
#
# Without libvirt-daemon-system there are no service units, users or groups; like
# deploy/allinone.sh, this makes the libvirt-qemu user and the folders libvirtd expects.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
uri=qemu:///system

answers() { virsh -c "$uri" version >/dev/null 2>&1; }

start() {
  mkdir -p "$dir"
  echo "export GUREUM_TEST_LIBVIRT_URI=$uri" > "$dir/libvirt.env"
  if answers; then
    echo "libvirt: using the running libvirtd"
    return 0
  fi
  command -v libvirtd >/dev/null || { echo "libvirt: libvirtd is not installed" >&2; exit 1; }
  getent group kvm >/dev/null || groupadd -r kvm
  getent group libvirt >/dev/null || groupadd -r libvirt
  getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
  getent passwd libvirt-qemu >/dev/null ||
    useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
  install -d -m 0755 /var/lib/libvirt /var/lib/libvirt/images /var/log/libvirt /run/libvirt
  # A daemon that died leaves its pid file and sockets behind; they would stop a new one.
  if ! pgrep -x virtlogd >/dev/null; then
    rm -f /run/libvirt/virtlogd-sock /run/libvirt/virtlogd-admin-sock /run/virtlogd.pid
    virtlogd -d -p "$dir/virtlogd.pid"
  fi
  rm -f /run/libvirt/libvirt-sock /run/libvirt/libvirt-sock-ro /run/libvirt/libvirt-admin-sock /run/libvirtd.pid
  libvirtd -d -p "$dir/libvirtd.pid" >"$dir/libvirtd.out" 2>&1
  for _ in $(seq 1 150); do
    answers && { echo "libvirt: started libvirtd (pid $(cat "$dir/libvirtd.pid"))"; return 0; }
    sleep 0.2
  done
  echo "libvirt: libvirtd did not answer on $uri within 30 s" >&2
  cat "$dir/libvirtd.out" >&2 || true
  exit 1
}

stop() {
  local f pid
  for f in libvirtd virtlogd; do
    [ -s "$dir/$f.pid" ] || continue
    pid=$(cat "$dir/$f.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/$f.pid"
  done
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
