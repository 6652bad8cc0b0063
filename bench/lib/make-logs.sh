#!/usr/bin/env bash
# make-logs.sh DIR MIB: writes MIB MiB of text role logs into DIR/<Role>/<Role>-NN.log, 8 roles of 8 files,
# lines shaped like a service's log (time, level, component, request id, duration, status, client), with
# random ids and numbers so that they compress like real logs do, not like repeated text.
set -euo pipefail
dir=$1; mib=$2
roles=(ACS DNS Storage Compute Network Portal KeyVault Health)
file_bytes=$(( mib * 1024 * 1024 / 64 ))
make_role() {
  local role=$1 seed=$2
  mkdir -p "$dir/$role"
  for n in 1 2 3 4 5 6 7 8; do
    awk -v bytes="$file_bytes" -v role="$role" -v seed=$((seed * 100 + n)) 'BEGIN {
      srand(seed); split("INFO INFO INFO INFO INFO DEBUG DEBUG WARN ERROR", level, " ");
      split("request completed|request started|cache miss for key|retrying call to|lease renewed on|health probe answered|flushed batch to|slow query on", what, "|");
      t = 1764100000 + seed * 3600; written = 0;
      while (written < bytes) {
        t += rand() * 0.05;
        line = sprintf("%s.%03dZ %-5s [%s.Worker-%02d] %s %08x-%04x in %d ms status=%d bytes=%d client=10.%d.%d.%d",
          strftime("%Y-%m-%dT%H:%M:%S", int(t), 1), int((t - int(t)) * 1000), level[int(rand() * 9) + 1], role, int(rand() * 16),
          what[int(rand() * 8) + 1], int(rand() * 4294967295), int(rand() * 65535), int(rand() * rand() * 2000),
          (rand() < 0.97 ? 200 : 503), int(rand() * 100000), int(rand() * 8), int(rand() * 256), int(rand() * 256));
        print line; written += length(line) + 1;
      } }' > "$dir/$role/$role-0$n.log"
  done
}
i=0
for role in "${roles[@]}"; do
  i=$((i + 1))
  make_role "$role" "$i" &
  # Two at a time: the machine has two cores.
  if (( i % 2 == 0 )); then wait; fi
done
wait
