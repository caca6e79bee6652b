#!/usr/bin/env bash
# Bootstrap, as Nuke's build.sh: check for a .NET 10 SDK, build the build project, run it with the arguments.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK is not installed. imagesync needs the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0" >&2
    exit 1
fi
if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    echo "error: imagesync needs the .NET 10 SDK; found: $(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | tr '\n' ' ')" >&2
    exit 1
fi

project="$root/build/_build.csproj"
out="$root/.artifacts/build"
if ! build_log=$(dotnet build "$project" -c Release -o "$out" -nologo -v:q -clp:ErrorsOnly 2>&1); then
    echo "$build_log" >&2
    echo "error: the build project did not compile" >&2
    exit 1
fi
export IMAGE_SYNC_ROOT="${IMAGE_SYNC_ROOT:-$root}"
exec dotnet "$out/_build.dll" "$@"
