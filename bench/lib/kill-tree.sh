#!/usr/bin/env bash
# kill-tree.sh PID: ends one process the bench started and everything below it. SIGTERM first (pep serve
# stops its session hosts and seals), SIGKILL for what is left after 5 s. Only this pid and its descendants.
root=$1
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
[ -d "/proc/$root" ] || exit 0
tree="$root $(descendants "$root")"
kill -TERM "$root" 2>/dev/null
for _ in $(seq 50); do
  [ -d "/proc/$root" ] || break
  sleep 0.1
done
for pid in $tree; do
  kill -KILL "$pid" 2>/dev/null
done
exit 0
