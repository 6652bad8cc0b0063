#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, runs unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts/setup.sh
dotnet build PrivilegedEndpoint.slnx -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test PrivilegedEndpoint.slnx -c Release --no-build -nologo 2>&1 | tee /tmp/pep-test-output.txt || status=$?
# One plain closing line with the totals of every test project.
awk '/^(Passed!|Failed!)/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' /tmp/pep-test-output.txt
exit $status
