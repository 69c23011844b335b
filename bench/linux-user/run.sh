#!/usr/bin/env bash
# Runs Debian 12's i386 busybox sha256sum (over a 100 MB file), a busybox shell loop, lua5.4, perl, sqlite3,
# gawk and python3.11 natively, under qemu-i386 (when installed) and under kasou with `kasou overhead`: one
# table each.
# Needs scripts/fetch-linux-user-sysroot.sh to have run. Usage: bench/linux-user/run.sh [--json]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lu="$root/target/linux-user"
sys="$lu/sysroot"
[[ -x "$sys/usr/bin/lua5.4" && -x "$lu/busybox" ]] || { echo "run.sh: no sysroot: run scripts/fetch-linux-user-sysroot.sh" >&2; exit 2; }
kasou=("$root/kasou" overhead "$@")
cd "$here"
[[ -s "$lu/random-100M.bin" ]] || head -c 100000000 /dev/urandom > "$lu/random-100M.bin"
echo "== busybox sha256sum (100 MB)"
"${kasou[@]}" "$lu/busybox" sha256sum "$lu/random-100M.bin"
echo "== busybox sh: 300 pipelines (two forks each)"
"${kasou[@]}" "$lu/busybox" sh -c 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo $i | read x; done; echo $i'
echo "== lua5.4 bench.lua"
"${kasou[@]}" -L "$sys" "$sys/usr/bin/lua5.4" bench.lua
echo "== perl bench.pl"
"${kasou[@]}" -L "$sys" "$sys/usr/bin/perl" bench.pl
echo "== sqlite3 :memory: '.read bench.sql'"
"${kasou[@]}" -L "$sys" "$sys/usr/bin/sqlite3" :memory: ".read bench.sql"
echo "== gawk -f bench.awk"
"${kasou[@]}" -L "$sys" "$sys/usr/bin/gawk" -f bench.awk
echo "== python3.11 bench.py"
"${kasou[@]}" -L "$sys" "$sys/usr/bin/python3.11" bench.py
