#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs the registry, skopeo and a C compiler the tests use
# (only when missing), builds the tool as ./build.sh does, then `dotnet test`, whose command-line tests run
# that built tool (IMAGE_SYNC_CLI). Extra arguments go to `dotnet test`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v git >/dev/null 2>&1 || need+=(git)
# A C compiler, so that build.sh compiles the tool ahead of time as it does for users (IMAGE_SYNC_AOT=0 skips it).
if [ "${IMAGE_SYNC_AOT:-1}" != 0 ] && ! command -v gcc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
    need+=(gcc libc6-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${need[*]} (apt-get)" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK is not installed: https://dotnet.microsoft.com/download/dotnet/10.0" >&2
    exit 1
fi
# The tests run the tool users run: compiled as build.sh compiles it (ahead of time where it can), not only the
# library in the test process. A plain `dotnet test` runs the command line in process instead.
"$root/build.sh" --help >/dev/null
if [ "${IMAGE_SYNC_AOT:-1}" != 0 ] && grep -q 'native-failed$' "$root/.artifacts/build/.built"; then
    echo "error: the ahead-of-time build failed (build.sh said why when it built; remove .artifacts/build to see it again). The tests run the tool users run, so that is a failure here; IMAGE_SYNC_AOT=0 ./test.sh tests the ReadyToRun build instead." >&2
    exit 1
fi
export IMAGE_SYNC_CLI="$root/.artifacts/build"
exec dotnet test "$root/ImageSync.slnx" "$@"
