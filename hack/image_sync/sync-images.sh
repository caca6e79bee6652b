#!/usr/bin/env bash
# Drop-in for sail-operator's hack/image_sync/sync-images.sh: the same commands, run by imagesync in process (no crane,
# jq or curl). Arguments after a command's own go on to imagesync (e.g. "status --debug").
#
# Usage: hack/image_sync/sync-images.sh <command> [args]
#
# Commands:
#   check-deps              check that the .NET 10 SDK is installed (and whether a C compiler is, optional)
#   validate                check the configuration
#   list                    list the configured images
#   status                  compare every tag upstream and in the target
#   dry-run                 show what sync-all would copy, writing nothing
#   sync-all                copy every configured image and tag
#   sync IMAGE [TAG]        copy one image, or one tag of it (a tag the configuration does not list is copied too)
#   discover IMAGE [MAX]    list the newest upstream tags of IMAGE (default 10)
#   test-extract            show the tags upstream's samples use, and what auto-update would change; write nothing
#   auto-update             pin the configuration and samples/ to upstream's tags
#   auto-sync               auto-update, then sync-all
#   help                    this text
#
# Environment: CONFIG_FILE (default: hack/image_sync/image-sync-config.json when it exists, else
# image-sync-config.json at the repository root), and every variable imagesync reads (./build.sh --help).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
repo=${IMAGE_SYNC_ROOT:-$root}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

if [ -z "${CONFIG_FILE:-}" ] && [ -z "${IMAGE_SYNC_CONFIG:-}" ] && [ -f "$repo/hack/image_sync/image-sync-config.json" ]; then
    CONFIG_FILE="$repo/hack/image_sync/image-sync-config.json"
fi
[ -n "${CONFIG_FILE:-}" ] && export IMAGE_SYNC_CONFIG="$CONFIG_FILE"
run() { exec "$root/build.sh" "$@"; }

command=${1:-help}
[ $# -gt 0 ] && shift
case $command in
    check-deps)
        if ! command -v dotnet >/dev/null 2>&1; then
            echo "dotnet: not installed; imagesync needs the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0" >&2
            exit 1
        fi
        if ! sdk=$(dotnet --list-sdks 2>/dev/null | grep '^10\.' | tail -n 1 | cut -d' ' -f1) || [ -z "$sdk" ]; then
            echo "dotnet: the .NET 10 SDK is missing (found: $(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | tr '\n' ' '))" >&2
            exit 1
        fi
        echo "dotnet: SDK $sdk (ok)"
        # Optional: with a C compiler build.sh compiles the tool ahead of time (a run starts in about 10 ms).
        if cc=$(command -v gcc || command -v clang); then
            echo "C compiler: $cc (ok: the tool is compiled ahead of time)"
        else
            echo "C compiler: none (optional; the tool runs on dotnet, about 0.2 s more a call; install gcc for the native build)"
        fi
        ;;
    validate)    run Validate "$@" ;;
    list)        run List "$@" ;;
    status)      run Status "$@" ;;
    dry-run)     run DryRun "$@" ;;
    sync-all)    run SyncAll "$@" ;;
    sync)
        [ $# -ge 1 ] && [[ $1 != -* ]] || { echo "usage: $0 sync IMAGE [TAG]" >&2; exit 1; }
        image=$1; shift
        if [ $# -ge 1 ] && [[ $1 != -* ]]; then
            tag=$1; shift
            run Sync --image "$image" --tag "$tag" "$@"
        fi
        run Sync --image "$image" "$@"
        ;;
    discover)
        [ $# -ge 1 ] && [[ $1 != -* ]] || { echo "usage: $0 discover IMAGE [MAX]" >&2; exit 1; }
        image=$1; shift
        max=10
        if [ $# -ge 1 ] && [[ $1 != -* ]]; then max=$1; shift; fi
        run Discover --image "$image" --max "$max" "$@"
        ;;
    test-extract) run AutoUpdate --dry-run "$@" ;;
    auto-update)  run AutoUpdate "$@" ;;
    auto-sync)    run AutoSync "$@" ;;
    help|-h|--help) usage ;;
    *) echo "unknown command \"$command\"; run '$0 help'" >&2; exit 1 ;;
esac
