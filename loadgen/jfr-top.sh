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
  /stackTrace = \[/ { in_stack = 1; depth = 0; portolan = ""; stack = ""; next }
  in_stack && /^[[:space:]]*\]/ {
    in_stack = 0; total++
    if (portolan == "") portolan = "(no io.portolan frame)"
    own[portolan]++
    area[classify(stack)]++
    next
  }
  in_stack {
    frame = $0; sub(/^[[:space:]]+/, "", frame); sub(/[[:space:]]+line:.*/, "", frame)
    if (frame == "...") next
    stack = stack " " frame
    if (depth == 0) self[frame]++
    if (portolan == "" && frame ~ /^io\.portolan\./) portolan = frame
    depth++
  }
  function classify(st) {
    if (st ~ /TopologyMetrics/) return "Prometheus export of topology metrics"
    if (st ~ /io\.portolan\.protocol\.Protocol\.(read|decode)/) return "protocol decode (agent frames)"
    if (st ~ /org\.apache\.pekko\.serialization|org\.apache\.pekko\.remote\.artery\.(Encoder|Decoder)/) return "remoting serialization (Ingest, HostDelta, ...)"
    if (st ~ /io\.portolan\.cluster\.view/) return "view renders"
    if (st ~ /io\.portolan\.gateway\.topology/) return "topology routes and streams (JSON, diffs)"
    if (st ~ /io\.portolan\.cluster\.topology\.HostEntity/) return "host entities"
    if (st ~ /io\.portolan\.cluster\.topology/) return "read model"
    if (st ~ /org\.apache\.pekko\.remote/) return "remoting (other)"
    if (st ~ /org\.apache\.pekko\.http/) return "HTTP/WebSocket (other)"
    if (st ~ /io\.portolan/) return "other Portolan code"
    return "other (dispatchers, streams, JIT-visible JDK)"
  }
  END {
    printf "%d samples\n-- self (top frame)\n", total
    for (f in self) printf "%6.2f%% %s\n", 100 * self[f] / total, f | "sort -rn | head -" n
    close("sort -rn | head -" n)
    printf "-- by area (first match per sample)\n"
    for (a in area) printf "%6.2f%% %s\n", 100 * area[a] / total, a | "sort -rn"
    close("sort -rn")
    printf "-- innermost io.portolan frame\n"
    for (f in own) printf "%6.2f%% %s\n", 100 * own[f] / total, f | "sort -rn | head -" n
  }'
