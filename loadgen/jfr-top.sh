#!/usr/bin/env bash
# Hot methods of a JDK Flight Recorder file (JDK 17 has no `jfr view`): from the execution samples,
# the top frames (self time) and the innermost io.portolan frame of each sample (where Portolan code
# spends, including the library calls it makes), each as a share of all samples.
#   loadgen/jfr-top.sh node1.jfr [N]
set -euo pipefail
file=$1
n=${2:-25}
jfr=jfr
[[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/jfr ]] && jfr=/usr/lib/jvm/java-17-openjdk-amd64/bin/jfr
"$jfr" print --events jdk.ExecutionSample --stack-depth 64 "$file" | awk -v n="$n" '
  /stackTrace = \[/ { in_stack = 1; depth = 0; portolan = ""; next }
  in_stack && /^[[:space:]]*\]/ {
    in_stack = 0; total++
    if (portolan == "") portolan = "(no io.portolan frame)"
    own[portolan]++
    next
  }
  in_stack {
    frame = $0; sub(/^[[:space:]]+/, "", frame); sub(/[[:space:]]+line:.*/, "", frame)
    if (frame == "...") next
    if (depth == 0) self[frame]++
    if (portolan == "" && frame ~ /^io\.portolan\./) portolan = frame
    depth++
  }
  END {
    printf "%d samples\n-- self (top frame)\n", total
    for (f in self) printf "%6.2f%% %s\n", 100 * self[f] / total, f | "sort -rn | head -" n
    close("sort -rn | head -" n)
    printf "-- innermost io.portolan frame\n"
    for (f in own) printf "%6.2f%% %s\n", 100 * own[f] / total, f | "sort -rn | head -" n
  }'
