#!/usr/bin/env bash
# The benchmark suite (issue 6): the endpoint against stock PowerShell remoting over OpenSSH, on loopback.
#   ./bench/run.sh            full run (about 10 minutes on 2 cores); writes the table into bench/README.md
#   ./bench/run.sh --quick    small counts, a smoke run (README untouched)
# Counts can be set with BENCH_* variables (see bench/README.md). Everything it starts runs in a
# throw-away directory and is stopped and removed at the end, also on failure or Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

mode=full
for argument in "$@"; do
  case "$argument" in
    --quick) mode=quick ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
done

. ./scripts/setup.sh
need_apt=()
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need_apt+=(openssh-client)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "bench: missing ${need_apt[*]}; run as root once, or install them" >&2; exit 1; fi
  echo "bench: installing ${need_apt[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "$(id -u)" != 0 ]; then echo "bench: run as root (the baseline logs in to sshd as root)" >&2; exit 1; fi

dotnet build src/Pep.Cli -c Release -nologo -clp:ErrorsOnly
pwsh_version=$(sed -n 's/.*"version": *"\([0-9.]*\)".*/\1/p' .config/dotnet-tools.json | tail -1)
pwsh="$HOME/.nuget/packages/powershell/$pwsh_version/tools/net10.0/any/unix/pwsh"
[ -x "$pwsh" ] || { echo "bench: pinned pwsh not found at $pwsh" >&2; exit 1; }

# Not under /tmp: PowerShell reads every directory above a path it resolves (to find the path's exact case),
# and a /tmp holding thousands of entries left by killed processes (15,675 on the machine of 2026-11-30, their
# .NET debugger pipes and diagnostic sockets) added 75 to 180 ms to each login and time to round trips
# (bench/README.md, "The bench's folder"). /var/lib/pep-bench holds only the bench's own runs.
mkdir -p /var/lib/pep-bench
chmod 711 /var/lib/pep-bench
work=$(mktemp -d /var/lib/pep-bench/run.XXXXXX)
# 0711: entered by others, listed by none. Session hosts run as session accounts of their own (README, Security),
# which must pass through this folder to the deployment's state in it; with 0700 every session hung at its runspace open.
chmod 711 "$work"
# Every process the bench starts is recorded in $work/pids (one per line) and ended here with its descendants.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -f "$work/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && "$repo/bench/lib/kill-tree.sh" "$pid"
    done < "$work/pids"
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The baseline: a real sshd on a loopback port, its own host key, config and authorized key, serving
# PowerShell's SSH subsystem (and, for the transcript measurement, the endpoint's session configuration).
mkdir -p /run/sshd "$work/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$work/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/ssh/client_key"
cp "$work/ssh/client_key.pub" "$work/ssh/authorized_keys"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off NO_COLOR=1
# In the background and waited for, so that a signal reaches the trap at once (the client is ended first).
"$pwsh" -NoLogo -NoProfile -NonInteractive -File bench/Invoke-Benchmark.ps1 \
  -Mode "$mode" -Work "$work" -Pwsh "$pwsh" -Repo "$repo" &
echo $! >> "$work/pids"
wait $!
