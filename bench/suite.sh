#!/usr/bin/env bash
# The compiled C benchmark suite (bench/c): builds the programs, runs each natively (a 32-bit Linux
# program), in kasou with the JIT, in kasou's interpreter (--no-jit) and in qemu-system-i386 (TCG),
# all in one run, checks that every output equals the native one, and prints whole-process wall
# times (JVM start included), ratios, and kasou's guest instruction counts and MIPS (--stats).
#
# Usage: bench/suite.sh [--no-interp] [--no-qemu] [--size n=K] [--timeout SECONDS] [NAME...]
#   NAME...        a subset of the programs (default: all of bench/c)
#   --size n=K     the size argument for every program (default: each program's own default)
#   --timeout S    the limit for each run (default 120 s); a run that hits it shows TIMEOUT
# kasou runs as users run it, through the ./kasou launcher (its JVM options and start-up archive).
# Environment: JAVA selects the JVM (default: java on the PATH), e.g.
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/suite.sh
# KASOU_JAR runs that jar with `$JAVA $KASOU_JAVA_OPTS -jar` instead of the launcher (to compare builds).
# The exit status is 1 when any output differs from the native one or any run fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The JVM kasou runs on: $JAVA, else the launcher's choice ($JAVA_HOME's java, else the default one).
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
interp=1
qemu_on=1
size=""
limit=120
names=()
while [[ $# -gt 0 ]]; do
    case "$1" in
    --no-interp) interp=0 ;;
    --no-qemu) qemu_on=0 ;;
    --size) size="$2"; shift ;;
    --size=*) size="${1#--size=}" ;;
    --timeout) limit="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "suite.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) names+=("$1") ;;
    esac
    shift
done
for tool in gcc nasm; do
    command -v "$tool" >/dev/null || { echo "suite.sh: $tool is needed to build the programs" >&2; exit 2; }
done
qemu=""
[[ $qemu_on == 1 ]] && qemu=$(command -v qemu-system-i386 || true)
[[ $qemu_on == 1 && -z "$qemu" ]] && echo "suite.sh: qemu-system-i386 not found; its column stays empty" >&2
if [[ -n "${KASOU_JAR:-}" ]]; then
    jar=$KASOU_JAR
    kasou=("$java" ${KASOU_JAVA_OPTS:-} -jar "$jar")
else
    jar=$root/cli/target/kasou.jar
    kasou=("$root/kasou")
    if [[ -n "${JAVA:-}" ]]; then
        JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")
        export JAVA_HOME
    fi
    # Builds the jar when needed and prepares the launcher's start-up archive before timing anything.
    "$root/kasou" --help >/dev/null || { echo "suite.sh: building kasou failed" >&2; exit 2; }
    "$root/kasou" demo >/dev/null 2>&1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ ${#names[@]} -eq 0 ]]; then
    names=($(cd "$root/bench/c" && ls *.c | sed 's/\.c$//' | grep -v '^rt_'))
fi
"$root/bench/c/build.sh" "$tmp" "${names[@]}" || { echo "suite.sh: building the programs failed" >&2; exit 2; }

args=()
[[ -n "$size" ]] && args=("$size")

# timed OUT ERR CMD...: runs CMD with the time limit, stdout to OUT and stderr to ERR; sets
# secs (wall time, or TIMEOUT) and rc (its exit status).
timed() {
    local out=$1 err=$2 t0 t1
    shift 2
    t0=$(date +%s%N)
    timeout --kill-after=5 "$limit" "$@" >"$out" 2>"$err"
    rc=$?
    t1=$(date +%s%N)
    if [[ $rc == 124 || $rc == 137 ]]; then
        secs=TIMEOUT
    else
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    fi
}
ratio() { # a/b when both are numbers
    awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "-" }'
}
# stat FIELD ERRFILE: guest instructions (millions) or MIPS from kasou's --stats line
stat() {
    local line
    line=$(grep -m1 'guest instructions in' "$2" 2>/dev/null) || { echo "-"; return; }
    case "$1" in
    minstr) echo "$line" | awk '{ gsub(",", "", $2); printf "%.1f", $2 / 1e6 }' ;;
    mips) echo "$line" | sed -E 's/.*: ([0-9.]+) MIPS.*/\1/' ;;
    esac
}

failures=0
problem() {
    echo "!!! MISMATCH: $*" >&2
    failures=$((failures + 1))
}

echo "java: $("$java" -version 2>&1 | head -1); kasou: ${kasou[*]}"
echo "qemu: ${qemu:+$("$qemu" --version | head -1)}"
echo "size: ${size:-default}; limit ${limit} s a run; times are whole-process wall seconds"
fmt='%-10s %8s %8s %9s %9s %8s %8s %8s %9s %8s %8s %s\n'
printf "$fmt" program native_s qemu_s kasou_jit kasou_int jit/qemu int/qemu jit/nat guest_Mi jit_MIPS int_MIPS check
# A kernel without 32-bit support cannot run the native builds: then qemu-i386 (user mode), when
# installed, gives the reference output, and the native column stays empty (that is not native time).
native_prefix=()
if ! "$tmp/${names[0]}.native" n=1 >/dev/null 2>&1; then
    if command -v qemu-i386 >/dev/null && qemu-i386 "$tmp/${names[0]}.native" n=1 >/dev/null 2>&1; then
        native_prefix=(qemu-i386)
        echo "suite.sh: this kernel runs no 32-bit programs: qemu-i386 gives the reference outputs, no native times" >&2
    fi
fi
jit_ratios=()
for name in "${names[@]}"; do
    elf="$tmp/$name.elf"
    check=ok
    timed "$tmp/$name.native.out" "$tmp/$name.native.err" "${native_prefix[@]}" "$tmp/$name.native" "${args[@]}"
    tn=$secs
    [[ ${#native_prefix[@]} -gt 0 ]] && tn="-"
    [[ $rc == 0 ]] || { problem "$name: the native program exited with $rc"; check=FAIL; }
    ref="$tmp/$name.native.out"

    # same RUNNAME: the run's output equals the native one and it exited with status 1 = (0 << 1) | 1
    same() {
        if [[ $secs == TIMEOUT ]]; then
            problem "$name: $1 timed out after $limit s"
            check=FAIL
        elif ! cmp -s "$ref" "$tmp/$name.$1.out"; then
            problem "$name: $1 output differs from native (exit status $rc):"
            diff "$ref" "$tmp/$name.$1.out" | head -10 >&2
            tail -3 "$tmp/$name.$1.err" >&2
            check=MISMATCH
        elif [[ $rc != 1 ]]; then
            problem "$name: $1 exited with status $rc, not 1 (guest status 0)"
            tail -3 "$tmp/$name.$1.err" >&2
            check=FAIL
        fi
    }

    tq="-"
    if [[ -n "$qemu" ]]; then
        timed /dev/null "$tmp/$name.qemu.err" "$qemu" -kernel "$elf" ${size:+-append "$size"} -display none \
            -no-reboot -m 128 -accel tcg -device isa-debug-exit,iobase=0xf4,iosize=4 \
            -debugcon "file:$tmp/$name.qemu.out"
        tq=$secs
        same qemu
    fi
    timed "$tmp/$name.jit.out" "$tmp/$name.jit.err" "${kasou[@]}" boot --stats --kernel "$elf" ${size:+--cmdline "$size"}
    tj=$secs
    same jit
    ti="-"
    if [[ $interp == 1 ]]; then
        timed "$tmp/$name.interp.out" "$tmp/$name.interp.err" "${kasou[@]}" boot --stats --no-jit --kernel "$elf" ${size:+--cmdline "$size"}
        ti=$secs
        same interp
    fi
    rjq=$(ratio "$tj" "$tq")
    [[ $rjq != "-" ]] && jit_ratios+=("$rjq")
    mi=$(stat minstr "$tmp/$name.jit.err")
    [[ $mi == "-" ]] && mi=$(stat minstr "$tmp/$name.interp.err")
    printf "$fmt" "$name" "$tn" "$tq" "$tj" "$ti" "$rjq" "$(ratio "$ti" "$tq")" "$(ratio "$tj" "$tn")" \
        "$mi" "$(stat mips "$tmp/$name.jit.err")" "$(stat mips "$tmp/$name.interp.err")" "$check"
done
if [[ ${#jit_ratios[@]} -gt 0 ]]; then
    printf '%s\n' "${jit_ratios[@]}" | awk '{ s += log($1); n++ } END { printf "geometric mean of jit/qemu over %d programs: %.2f\n", n, exp(s / n) }'
fi
if [[ $failures -gt 0 ]]; then
    echo "!!! $failures MISMATCH/FAILURE(S): see the messages above" >&2
    exit 1
fi
