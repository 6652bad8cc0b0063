#!/usr/bin/env bash
# The pep command from a checkout: sets up what it needs, builds once, then runs pep with your arguments.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
. ./scripts/setup.sh
dotnet build src/Pep.Cli -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
cd - >/dev/null
exec dotnet "$here/src/Pep.Cli/bin/Release/net10.0/pep.dll" "$@"
