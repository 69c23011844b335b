#!/usr/bin/env bash
# Fetches Debian 12's i386 busybox-static with apt-get download (no other network) and unpacks it
# with dpkg-deb, for the tests and measurements of `kasou run`:
#   DIR/busybox            the static busybox executable
#   DIR/sysroot/           libc6:i386 unpacked (the dynamic loader and libc, for dynamic programs)
#
# Usage: scripts/fetch-linux-user-sysroot.sh [DIR]   (default: target/linux-user under the repository)
# Prints DIR. Needs apt-get (with the i386 architecture added, which the script does as root when
# it is missing) and dpkg-deb.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/target/linux-user}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [[ -x "$dir/busybox" && -d "$dir/sysroot/lib" ]]; then
    echo "$dir"
    exit 0
fi
for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "fetch-linux-user-sysroot: $tool is needed" >&2; exit 2; }
done
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "fetch-linux-user-sysroot: the i386 architecture is not added (as root: dpkg --add-architecture i386 && apt-get update)" >&2
        exit 2
    fi
    dpkg --add-architecture i386
    apt-get update -qq
fi
echo "fetch-linux-user-sysroot: downloading busybox-static and libc6 (i386) ..." >&2
rm -rf "$dir/dl" && mkdir "$dir/dl"
cd "$dir/dl"
apt-get download -q busybox-static:i386 libc6:i386 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
dpkg-deb -x busybox-static_*.deb busybox-pkg
rm -rf "$dir/sysroot" && mkdir "$dir/sysroot"
dpkg-deb -x libc6_*.deb "$dir/sysroot"
cp busybox-pkg/bin/busybox "$dir/busybox.tmp"
mv -f "$dir/busybox.tmp" "$dir/busybox"
cd "$dir"
rm -rf dl
echo "$dir"
