#!/usr/bin/env bash
# Builds Gureum's tiny test image from Debian packages (linux-image-amd64, busybox-static):
#
#   <out>/tiny-kernel    the host's Debian kernel (an "aki" image)
#   <out>/tiny-initrd    a busybox initramfs (an "ari" image) carrying the modules a guest
#                        needs: virtio (pci, blk, net, console), ata_piix/ahci + sr_mod +
#                        isofs for the config drive, with their dependencies
#   <out>/tiny-disk.raw  a 16 MiB disk (raw; the image the instance "boots", its kernel and
#                        initrd given by the kernel_id/ramdisk_id properties)
#
# Its /init prints GUREUM-TINY-BOOTED on the serial console (ttyS0), then the config
# drive's meta_data.json and user_data between GUREUM-METADATA-BEGIN/END and
# GUREUM-USERDATA-BEGIN/END, then GUREUM-TINY-DONE. Then, when it has an eth0, it asks
# DHCP for an address (busybox udhcpc; address, default route and MTU) and prints
# GUREUM-IP <addr>; when the user_data is a shell script (#!...) it runs it in the
# background with its output on the console (GUREUM-USERDATA-RUN first), and idles. It
# powers off on an ACPI shutdown request (the power button's first event; it prints
# GUREUM-TINY-POWEROFF).
#
#   tests/images/build-tiny.sh [out-dir]     (default: build/tiny-image)
#
# Cached: nothing is redone when the outputs are newer than this script and the kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-${GUREUM_BUILD_DIR:-$top/build}/tiny-image}
mkdir -p "$out"

kver=$(ls /lib/modules | sort -V | tail -n1)
kernel=/boot/vmlinuz-$kver
busybox=/bin/busybox
[ -r "$kernel" ] || { echo "build-tiny: no kernel at $kernel (apt-get install linux-image-amd64)" >&2; exit 1; }
# The list is read whole first: busybox writes it one name per write(2), so a `grep -q`
# that stops at the match would kill it with SIGPIPE and pipefail would call that a failure.
applets=$("$busybox" --list 2>/dev/null || true)
grep -qx insmod <<<"$applets" ||
  { echo "build-tiny: $busybox is not busybox-static (apt-get install busybox-static)" >&2; exit 1; }

if [ "$out/tiny-initrd" -nt "$0" ] && [ "$out/tiny-initrd" -nt "$kernel" ] &&
   [ -s "$out/tiny-kernel" ] && [ -s "$out/tiny-disk.raw" ]; then
  echo "$out (cached)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,mnt,etc,lib/modules}
cp "$busybox" "$root/bin/busybox"

# The modules in load order, each after its dependencies (modprobe --show-depends).
: > "$root/modules.order"
for m in virtio_pci virtio_blk virtio_net virtio_console ata_piix ahci sr_mod isofs button evdev; do
  modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  name=$(basename "$ko")
  case "$ko" in
    *.ko.xz) xz -dc "$ko" > "$root/lib/modules/${name%.xz}"; name=${name%.xz} ;;
    *.ko.zst) zstd -qdc "$ko" > "$root/lib/modules/${name%.zst}"; name=${name%.zst} ;;
    *) cp "$ko" "$root/lib/modules/$name" ;;
  esac
  echo "$name" >> "$root/modules.order"
done

cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do insmod "/lib/modules/$m" 2>/dev/null; done
# ACPI power button (button + evdev modules) -> power off, so a soft stop or soft reboot
# does not wait for the destroy: the first event of the "Power Button" input device.
# Watched from the start, so that it is ready long before GUREUM-TINY-DONE.
for ev in /sys/class/input/event*; do
  if grep -q "Power Button" "$ev/device/name" 2>/dev/null; then
    (node="/dev/input/${ev##*/}"
     for _ in 1 2 3 4 5; do [ -c "$node" ] && break; sleep 1; done
     dd if="$node" of=/dev/null bs=24 count=1 2>/dev/null &&
       { echo "GUREUM-TINY-POWEROFF"; poweroff -f; }) &
  fi
done
echo "GUREUM-TINY-BOOTED"
# The config drive (label config-2) shows up as a cdrom a moment after its driver loads.
found=""
for try in 1 2 3 4 5 6 7 8 9 10; do
  for dev in /dev/sr0 /dev/sr1 /dev/vdb /dev/sda /dev/sdb /dev/hdc /dev/hdd; do
    [ -b "$dev" ] || continue
    if mount -t iso9660 -o ro "$dev" /mnt 2>/dev/null; then
      if [ -f /mnt/openstack/latest/meta_data.json ]; then found=$dev; break 2; fi
      umount /mnt
    fi
  done
  sleep 1
done
if [ -n "$found" ]; then
  echo "GUREUM-CONFIG-DRIVE $found"
  echo "GUREUM-METADATA-BEGIN"
  cat /mnt/openstack/latest/meta_data.json; echo
  echo "GUREUM-METADATA-END"
  if [ -f /mnt/openstack/latest/user_data ]; then
    echo "GUREUM-USERDATA-BEGIN"
    cat /mnt/openstack/latest/user_data; echo
    echo "GUREUM-USERDATA-END"
  fi
else
  echo "GUREUM-NO-CONFIG-DRIVE"
fi
echo "GUREUM-TINY-DONE"
# The network: eth0 (virtio_net) by DHCP; the lease script prints GUREUM-IP <addr>.
mkdir -p /tmp /etc
if [ -e /sys/class/net/eth0 ]; then
  ip link set lo up
  ip link set eth0 up
  echo "GUREUM-NET eth0 $(cat /sys/class/net/eth0/address)"
  # No -f: udhcpc goes to the background once it has a lease (-b: also if it has none
  # after the first tries, and keeps asking).
  udhcpc -i eth0 -s /etc/udhcpc.script -O mtu -t 10 -T 2 -A 2 -b >/dev/console 2>&1
fi
# A user_data shell script runs in the background, its output on the console.
if [ -n "$found" ] && head -c 2 /mnt/openstack/latest/user_data 2>/dev/null | grep -q '^#!'; then
  cp /mnt/openstack/latest/user_data /tmp/user_data
  chmod +x /tmp/user_data
  echo "GUREUM-USERDATA-RUN"
  /tmp/user_data </dev/null >/dev/console 2>&1 &
fi
while true; do sleep 3600; done
INIT
chmod +x "$root/init"

# udhcpc's lease script: address, default route and MTU from the DHCP answer.
mkdir -p "$root/etc"
cat > "$root/etc/udhcpc.script" <<'SCRIPT'
#!/bin/busybox sh
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    if [ -n "$router" ]; then
      ip route del default 2>/dev/null
      for r in $router; do ip route add default via "$r" dev "$interface" && break; done
    fi
    echo "GUREUM-IP $ip"
    ;;
esac
exit 0
SCRIPT
chmod +x "$root/etc/udhcpc.script"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$work/tiny-initrd"
cp "$kernel" "$work/tiny-kernel"
truncate -s 16M "$work/tiny-disk.raw"
mv "$work/tiny-kernel" "$out/tiny-kernel"
mv "$work/tiny-disk.raw" "$out/tiny-disk.raw"
mv "$work/tiny-initrd" "$out/tiny-initrd"
chmod 0644 "$out"/tiny-*
echo "$out: tiny-kernel $(stat -c %s "$out/tiny-kernel") B, tiny-initrd $(stat -c %s "$out/tiny-initrd") B, tiny-disk.raw 16 MiB"
