#!/usr/bin/env bash
# Compatibility wrapper for sail-operator's hack/image_sync/sync-images.sh: the same commands, run by imagesync
# in process (no crane, jq or curl). CONFIG_FILE still names the configuration.
#
#   sync-images.sh validate|list|status|dry-run|sync-all|auto-update|auto-sync|help
#   sync-images.sh sync IMAGE [TAG]
#   sync-images.sh discover IMAGE [MAX]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export IMAGE_SYNC_CONFIG=${CONFIG_FILE:-${IMAGE_SYNC_CONFIG:-$root/image-sync-config.json}}
run() { exec "$root/build.sh" "$@"; }

case ${1:-help} in
    check-deps)  command -v dotnet >/dev/null && echo "dotnet: $(dotnet --version)" || { echo "dotnet is missing" >&2; exit 1; } ;;
    validate)    run Validate ;;
    list)        run List ;;
    status)      run Status ;;
    dry-run)     run DryRun ;;
    sync-all)    run SyncAll ;;
    sync)        [ $# -ge 2 ] || { echo "usage: $0 sync IMAGE [TAG]" >&2; exit 1; }
                 if [ $# -ge 3 ]; then run Sync --image "$2" --tag "$3"; else run Sync --image "$2"; fi ;;
    discover)    [ $# -ge 2 ] || { echo "usage: $0 discover IMAGE [MAX]" >&2; exit 1; }
                 run Discover --image "$2" --max "${3:-10}" ;;
    auto-update) run AutoUpdate ;;
    auto-sync)   run AutoSync ;;
    help|-h|--help) sed -n '2,8p' "$0"; echo; "$root/build.sh" --help ;;
    *)           echo "unknown command \"$1\"; run '$0 help'" >&2; exit 1 ;;
esac
