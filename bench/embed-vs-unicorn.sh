#!/bin/sh
# kasou-embed (JMH, bench/target/benchmarks.jar) and Unicorn (python3-unicorn) on the same guest
# code, one after the other, in nanoseconds per operation (see EmbedBench). Build first:
#   mvn -o -q install -DskipTests
# Usage: bench/embed-vs-unicorn.sh [java]   (JMH_OPTS adds JMH options, e.g. "-wi 2 -i 3")
set -e
cd "$(dirname "$0")"
JAVA=${1:-java}
PY=/usr/bin/python3
$PY -c 'import unicorn' 2>/dev/null || { echo "needs python3-unicorn (apt-get install python3-unicorn)" >&2; exit 1; }
csv=$(mktemp)
$JAVA -jar target/benchmarks.jar EmbedBench $JMH_OPTS -rf csv -rff "$csv" >/dev/null 2>&1
uc=$($PY embed-vs-unicorn.py)
echo "$uc" | head -1
echo "kasou: $($JAVA -version 2>&1 | head -1)"
printf '%-14s %12s %12s %8s\n' benchmark kasou_ns unicorn_ns ratio
for b in aluLoop callFunction codeHook memoryHook; do
    k=$(grep "EmbedBench.$b\"" "$csv" | cut -d, -f5)
    u=$(echo "$uc" | awk -v b=$b '$1 == b { print $2 }')
    awk -v b=$b -v k="$k" -v u="$u" 'BEGIN { printf "%-14s %12.3f %12.3f %8.2f\n", b, k, u, u / k }'
done
awk -F, '/EmbedBench.aluLoop"/ { printf "kasou MIPS without hooks: %.0f\n", 1000 / $5 }' "$csv"
echo "$uc" | awk '$1 == "aluLoop" { printf "unicorn MIPS without hooks: %.0f\n", 1000 / $2 }'
rm -f "$csv"
