#!/usr/bin/env bash
# Sums the <Counters> of every TRX file under a folder (one file per test assembly) and prints, as the
# last line, exactly: tests: N passed, M failed
# "failed" counts failed + error + timeout + aborted outcomes, plus one for each result file whose run
# ended in failure without a failed test (a crashed or aborted test host: its remaining tests never ran).
# Exit status: 0 when M is 0 and at least one test ran; 1 when M > 0; 2 when no test ran or a
# result file had no counters.
# Usage: build/trx-summary.sh <results-folder>
set -euo pipefail

dir="${1:?usage: trx-summary.sh <results-folder>}"

passed=0 failed=0 total=0 executed=0 skipped=0 files=0 unreadable=0

# Value of one integer attribute of a Counters element, or 0 when absent.
attr() {
  local value
  value=$(printf '%s' "$2" | grep -oE "[[:space:]]$1=\"[0-9]+\"" | grep -oE '[0-9]+' | head -n 1 || true)
  printf '%s' "${value:-0}"
}

while IFS= read -r -d '' trx; do
  files=$((files + 1))
  counters=$(tr '\r\n' '  ' < "$trx" | grep -oE '<Counters[[:space:]][^>]*>' | head -n 1 || true)
  if [[ -z "$counters" ]]; then
    echo "warning: no <Counters> in $trx (test run crashed?)" >&2
    unreadable=$((unreadable + 1))
    continue
  fi
  passed=$((passed + $(attr passed "$counters")))
  file_failed=$(($(attr failed "$counters") + $(attr error "$counters") \
    + $(attr timeout "$counters") + $(attr aborted "$counters")))
  outcome=$(grep -oE '<ResultSummary[[:space:]][^>]*outcome="[A-Za-z]+"' "$trx" | grep -oE '"[A-Za-z]+"' | tr -d '"' | head -n 1 || true)
  if ((file_failed == 0)) && [[ "$outcome" =~ ^(Failed|Aborted|Error|Timeout)$ ]]; then
    reason=$(grep -oE '<Text>[^<]{0,200}' "$trx" | head -n 1 | sed 's/^<Text>//' || true)
    echo "error: the run of $(basename "$trx") ended '$outcome' without a failed test: ${reason:-no reason given}" >&2
    file_failed=1
  fi
  failed=$((failed + file_failed))
  total=$((total + $(attr total "$counters")))
  executed=$((executed + $(attr executed "$counters")))
  skipped=$((skipped + $(attr total "$counters") - $(attr executed "$counters")))
done < <(find "$dir" -type f -name '*.trx' -print0 2>/dev/null)

echo "results: $files TRX file(s), $total total, $executed executed, $skipped skipped or not run"
status=0
if ((failed > 0)); then
  status=1
elif ((files == 0 || executed == 0)); then
  echo "error: no test ran (no TRX results under $dir)" >&2
  status=2
elif ((unreadable > 0)); then
  echo "error: $unreadable result file(s) had no counters" >&2
  status=2
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
