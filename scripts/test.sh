#!/usr/bin/env bash
# The whole test suite, from a fresh clone: restore, build and test every project in the solution.
# Prints one closing line, "N passed, N failed", summed over the test assemblies.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The HTML report tests drive Debian's Chromium (headless, through Playwright); install it when it is missing.
command -v chromium >/dev/null || (export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q chromium)
# The EF Core tests start a throwaway PostgreSQL cluster (initdb, pg_ctl, pg_stat_statements, pgcrypto); install it when it is missing.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ls /usr/share/postgresql/*/extension/pgcrypto.control >/dev/null 2>&1 \
  || (export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q postgresql postgresql-contrib)

# The PKCS#11 master key tests drive SoftHSM2 (a software HSM) in a temporary token folder; install it when it is missing.
# (The Kafka sink tests need nothing: librdkafka's mock cluster comes with the librdkafka.redist package.)
{ command -v softhsm2-util >/dev/null && [ -e /usr/lib/softhsm/libsofthsm2.so ]; } \
  || (export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q softhsm2)

dotnet test HipaaAnalyzers.sln -c Release -nodeReuse:false 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed"

if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
