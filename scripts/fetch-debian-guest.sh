#!/usr/bin/env bash
# Fetches Debian 12's i386 kernel (linux-image-686) and busybox-static with apt-get download and
# builds an initramfs whose /init mounts /proc and /sys, prints the marker line
# "kasou-guest: init reached", then powers off when the kernel command line holds kasou.poweroff,
# runs the commands of kasou.run=... when given (commands separated by commas, "+" for a space:
# kasou.run=uname+-a,ls+/) and powers off, or else starts a shell on the console.
#
# Usage: scripts/fetch-debian-guest.sh [DIR]   (default: target/debian-guest under the repository)
# Prints the paths of vmlinuz and initrd.gz. Needs apt-get (with the i386 architecture added, which
# the script does as root when it is missing), dpkg-deb, cpio and gzip.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/target/debian-guest}
mkdir -p "$dir"
cd "$dir"
if [[ -s vmlinuz && -s initrd.gz ]]; then
    echo "$dir/vmlinuz"
    echo "$dir/initrd.gz"
    exit 0
fi
for tool in apt-get dpkg-deb cpio gzip; do
    command -v "$tool" >/dev/null || { echo "fetch-debian-guest: $tool is needed" >&2; exit 2; }
done
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "fetch-debian-guest: the i386 architecture is not added (as root: dpkg --add-architecture i386 && apt-get update)" >&2
        exit 2
    fi
    dpkg --add-architecture i386
    apt-get update -qq
fi
echo "fetch-debian-guest: downloading linux-image-686 and busybox-static (i386) ..." >&2
rm -rf dl && mkdir dl && cd dl
kernel_pkg=$(apt-cache depends linux-image-686:i386 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[[ -n "$kernel_pkg" ]] || { echo "fetch-debian-guest: cannot find the kernel package behind linux-image-686" >&2; exit 1; }
apt-get download -q "$kernel_pkg" busybox-static:i386 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
dpkg-deb -x linux-image-*.deb kernel
dpkg-deb -x busybox-static_*.deb busybox
cd ..
cp dl/kernel/boot/vmlinuz-* vmlinuz.tmp
rm -rf initramfs && mkdir -p initramfs/bin initramfs/proc initramfs/sys initramfs/dev initramfs/tmp
cp dl/busybox/bin/busybox initramfs/bin/busybox
cat > initramfs/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "kasou-guest: init reached"
cmdline=$(cat /proc/cmdline)
for word in $cmdline; do
    case "$word" in
    kasou.run=*)
        echo "${word#kasou.run=}" | tr ',+' '\n ' > /tmp/commands
        sh /tmp/commands
        echo "kasou-guest: commands done"
        poweroff -f
        ;;
    kasou.poweroff) poweroff -f ;;
    esac
done
exec setsid cttyhack sh
INIT
chmod +x initramfs/init
(cd initramfs && find . | cpio -o -H newc --quiet) | gzip -9 > initrd.gz.tmp
mv vmlinuz.tmp vmlinuz
mv initrd.gz.tmp initrd.gz
rm -rf dl initramfs
echo "$dir/vmlinuz"
echo "$dir/initrd.gz"
