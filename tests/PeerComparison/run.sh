#!/usr/bin/env bash
# Builds the comparison corpus once per analyzer (HipaaAnalyzers from source, SecurityCodeScan, SonarAnalyzer,
# the .NET security analyzers), collects each build's SARIF log and scores it against the markers in the corpus.
# Usage: tests/PeerComparison/run.sh [--tools hipaa,scs,sonar,netanalyzers] [--artifacts DIR] [--no-build]
#                                    [--json FILE]
# Needs the .NET 10 SDK, python3 and the NuGet feed. Everything it builds goes under the artifacts folder
# (default: artifacts/peer-comparison in the repository, which git ignores); the repository's own bin/obj are not touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="hipaa,scs,sonar,netanalyzers"
artifacts="$repo/artifacts/peer-comparison"
build=1
json=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --tools) tools="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --json) json="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "dotnet is not on PATH" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not on PATH" >&2; exit 2; }

mkdir -p "$artifacts"
artifacts="$(cd "$artifacts" && pwd)"
project="$here/Corpus/PeerComparison.Corpus.csproj"

failed=()
if [[ $build -eq 1 ]]; then
  IFS=',' read -r -a tool_list <<<"$tools"
  for tool in "${tool_list[@]}"; do
    case "$tool" in hipaa|scs|sonar|netanalyzers) ;; *) echo "Unknown tool $tool" >&2; exit 2 ;; esac
    sarif="$artifacts/$tool.sarif"
    log="$artifacts/$tool.build.log"
    rm -f "$sarif"
    if [[ "$tool" == "hipaa" ]]; then
      {
        commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        branch="$(git -C "$repo" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
        dirty=""
        if [[ -n "$(git -C "$repo" status --porcelain -- src 2>/dev/null)" ]]; then dirty=", src has uncommitted changes"; fi
        echo "from source: $branch at $commit$dirty"
      } >"$artifacts/hipaa.source.txt"
    fi
    echo "Building the corpus with $tool ..." >&2
    started=$SECONDS
    # Rebuild: the SARIF log is written by the compiler, so the compiler must run every time.
    if dotnet build "$project" -c Release --no-incremental -nologo -v:q \
         --artifacts-path "$artifacts/$tool" \
         -p:PeerTool="$tool" -p:PeerSarif="$sarif" >"$log" 2>&1 && [[ -f "$sarif" ]]; then
      echo "  done in $((SECONDS - started)) s" >&2
    else
      echo "  the $tool build failed; last lines of $log:" >&2
      tail -n 20 "$log" >&2
      failed+=("$tool")
    fi
  done
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "Build failed for: ${failed[*]}" >&2
  exit 1
fi

echo "SDK $(dotnet --version); results in $artifacts" >&2
python3 "$here/compare.py" --corpus "$here/Corpus" --rules "$here/rules.tsv" --artifacts "$artifacts" \
  --tools "$tools" --repo-root "$repo" ${json:+--json "$json"}
