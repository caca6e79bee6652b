#!/usr/bin/env bash
# Bootstrap, as Nuke's build.sh: check for a .NET 10 SDK, build the build project when its sources changed, run it
# with the arguments. An unchanged tree costs no compile step: a stamp file records the last good build, and the
# build runs again only when a file under build/ or src/, a project file, global.json or Directory.Build.props is
# newer than it (or the output is missing).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK is not installed. imagesync needs the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0" >&2
    exit 1
fi

project="$root/build/_build.csproj"
out="$root/.artifacts/build"
stamp="$out/.built"
stale() {
    [ -f "$stamp" ] && [ -f "$out/_build.dll" ] || return 0
    [ -n "$(find "$root/build" "$root/src" "$root/global.json" "$root/Directory.Build.props" \
        \( -path '*/bin' -o -path '*/obj' \) -prune -o -newer "$stamp" -print -quit 2>/dev/null)" ]
}
if stale; then
    if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
        echo "error: imagesync needs the .NET 10 SDK; found: $(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | tr '\n' ' ')" >&2
        exit 1
    fi
    rm -f "$stamp"
    # ReadyToRun: precompiled code, so a run pays little JIT (a warm SyncAll is mostly process start).
    if ! build_log=$(dotnet publish "$project" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$out" -nologo -v:q -clp:ErrorsOnly 2>&1); then
        echo "$build_log" >&2
        echo "error: the build project did not compile" >&2
        exit 1
    fi
    touch "$stamp"
fi
export IMAGE_SYNC_ROOT="${IMAGE_SYNC_ROOT:-$root}"
exec dotnet "$out/_build.dll" "$@"
