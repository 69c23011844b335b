#!/usr/bin/env bash
# Fetches Debian 12's i386 busybox-static and a set of dynamically linked programs with their
# libraries with apt-get download (no other network) and unpacks them with dpkg-deb, for the tests
# and measurements of `kasou run`:
#   DIR/busybox            the static busybox executable
#   DIR/sysroot/           libc6:i386 and the programs' packages unpacked (kasou run -L DIR/sysroot):
#                          coreutils, gzip, xz-utils, bzip2, lua5.4, perl-base, sqlite3, gawk,
#                          python3.11 (python3.11-minimal: the interpreter and its minimal library), tar,
#                          and dash as /bin/sh (for system(), popen() and tar's compressors)
#
# Usage: scripts/fetch-linux-user-sysroot.sh [DIR]   (default: target/linux-user under the repository)
# Prints DIR. Needs apt-get (with the i386 architecture added, which the script does as root when
# it is missing) and dpkg-deb.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/target/linux-user}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# The dynamic programs and every library they need (Depends, by hand: apt-get download does not follow them).
packages=(busybox-static libc6 libgcc-s1 libcrypt1 zlib1g coreutils libacl1 libattr1 libselinux1 libpcre2-8-0 libgmp10
    gzip xz-utils liblzma5 bzip2 libbz2-1.0 lua5.4 liblua5.4-0 libstdc++6 perl-base sqlite3 libsqlite3-0 libreadline8 libtinfo6
    gawk libmpfr6 libsigsegv2 python3.11-minimal libpython3.11-minimal libexpat1 tar dash)
if [[ -x "$dir/busybox" && -x "$dir/sysroot/usr/bin/python3.11" && -x "$dir/sysroot/usr/bin/tar" && -e "$dir/sysroot/usr/bin/sh" ]]; then
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
echo "fetch-linux-user-sysroot: downloading ${packages[*]} (i386) ..." >&2
rm -rf "$dir/dl" && mkdir "$dir/dl"
cd "$dir/dl"
apt-get download -q "${packages[@]/%/:i386}" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
dpkg-deb -x busybox-static_*.deb busybox-pkg
rm -rf "$dir/sysroot" && mkdir "$dir/sysroot"
for deb in *.deb; do
    [[ "$deb" == busybox-static_* ]] || dpkg-deb -x "$deb" "$dir/sysroot"
done
# Merged /usr, as on an installed Debian 12: /lib, /bin and /sbin are links into /usr, so that the
# loader finds a library in whichever of the two directories its package put it.
for d in lib bin sbin; do
    if [[ -d "$dir/sysroot/$d" && ! -L "$dir/sysroot/$d" ]]; then
        mkdir -p "$dir/sysroot/usr/$d"
        cp -a "$dir/sysroot/$d/." "$dir/sysroot/usr/$d/"
        rm -rf "$dir/sysroot/$d"
        ln -s "usr/$d" "$dir/sysroot/$d"
    fi
done
[[ -e "$dir/sysroot/lib/ld-linux.so.2" ]] || { echo "fetch-linux-user-sysroot: libc6:i386 is missing" >&2; exit 1; }
cp busybox-pkg/bin/busybox "$dir/busybox.tmp"
mv -f "$dir/busybox.tmp" "$dir/busybox"
cd "$dir"
rm -rf dl
echo "$dir"
