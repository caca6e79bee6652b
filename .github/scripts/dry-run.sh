#!/usr/bin/env bash
# DryRun for a pull request's check, which runs without credentials: the registries are read anonymously. A registry
# that refuses an anonymous read (a private target, or a private upstream) is no fault of the pull request: the tags
# it hides are listed in the step summary as not planned, with how to plan them, and the check passes. Any other
# error, a conflict, or a run that wrote no report fails with DryRun's own exit code.
#
# Usage, from the imagesync checkout: .github/scripts/dry-run.sh [build.sh parameters, e.g. --image NAME]
set -uo pipefail

report=$(mktemp "${RUNNER_TEMP:-/tmp}/imagesync-dry-run-XXXXXX")
./build.sh DryRun "$@" --report "$report"
status=$?
if [ "$status" -eq 0 ] || [ ! -s "$report" ]; then
  exit "$status"
fi

# imagesync's refusals name the status and say that no credentials were found (a token endpoint's and a registry's
# own 401 or 403 alike); nothing else may pass.
failed=$(jq '[.results[] | select(.action == "error" or .action == "conflict")] | length' "$report") || exit "$status"
hidden=$(jq -r '.results[]
  | select(.action == "error" and ((.error // "") | test("(^|[^0-9])40[13]([^0-9]|$)") and test("no credentials (were )?found")))
  | "\(.image):\(.tag) (\(.target))"' "$report") || exit "$status"
count=$(printf '%s' "$hidden" | grep -c . || true)
if [ "$failed" -eq 0 ] || [ "$count" -ne "$failed" ]; then
  exit "$status"
fi

{
  echo "### Not planned: a registry this check cannot read"
  echo
  echo "A pull request's check has no credentials, and these tags' registry refused an anonymous read (a private"
  echo "repository). Nothing else failed. The nightly mirror reads them with its own credentials;"
  echo "\`./build.sh DryRun\` with them plans these tags on your machine."
  echo
  printf '%s\n' "$hidden" | sed 's/^/- /'
} >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
echo "::warning title=Not planned::$count tag(s) are in a registry that refuses anonymous reads; see the step summary"
exit 0
