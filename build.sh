#!/usr/bin/env bash
# Bootstrap, as Nuke's build.sh: check for a .NET 10 SDK, build the build project when its sources changed, run it
# with the arguments. An unchanged tree costs no compile step: a stamp file records the kind of the last good build
# and a digest of its inputs (every file under build/ and src/ but bin/ and obj/, global.json, Directory.Build.props),
# and the build runs again only when that changed or the output is missing. Contents, not times: a fresh checkout
# with .artifacts/build restored from a cache (as the workflows do) reuses it.
#
# The tool is compiled ahead of time (Native AOT: starts in about 10 ms, no JIT) when a C compiler is present to link
# it (gcc or clang; GitHub's runners have both); otherwise, with IMAGE_SYNC_AOT=0, or when that build fails (said
# once, with its first error), it is published ReadyToRun and run by `dotnet`, which costs about 0.2 s of start-up per call.
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
kind=managed
if [ "${IMAGE_SYNC_AOT:-1}" != 0 ] && { command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1; }; then
    kind=native
fi
sha=(sha256sum)
command -v sha256sum >/dev/null 2>&1 || sha=(shasum -a 256)
inputs=$(cd "$root" && { find build src global.json Directory.Build.props \( -path '*/bin' -o -path '*/obj' \) -prune -o -type f -print 2>/dev/null || true; } \
    | LC_ALL=C sort | tr '\n' '\0' | xargs -0 "${sha[@]}" | "${sha[@]}" | cut -d' ' -f1)
stale() {
    # Built as asked for these very inputs, or asked for native, which failed for them and was built managed instead.
    case "$(cat "$stamp" 2>/dev/null)" in
        "$kind $inputs" | "managed $inputs native-failed") ;;
        *) return 0 ;;
    esac
    ! { [ -f "$out/_build.dll" ] || [ -x "$out/_build" ]; }
}
publish() {
    local how=(--self-contained false -p:PublishReadyToRun=true)
    # No symbol files beside the tool: they would triple what the workflows cache.
    [ "$1" = native ] && how=(-p:PublishAot=true -p:CopyOutputSymbolsToPublishDirectory=false)
    # A fresh folder: a native build leaves no _build.dll, and a managed one must not find an old native binary.
    rm -rf "$out"
    dotnet publish "$project" -c Release --use-current-runtime "${how[@]}" -o "$out" -nologo -v:q -clp:ErrorsOnly 2>&1
}
if stale; then
    if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
        echo "error: imagesync needs the .NET 10 SDK; found: $(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | tr '\n' ' ')" >&2
        exit 1
    fi
    # Minutes of silence look like a hang: say what is happening, on stderr so that output stays the tool's.
    # Measured on a 2-core machine with the NuGet packages already restored: 57 s native, 18 s ReadyToRun.
    [ "$kind" = native ] && took="about a minute" || took="about 20 seconds"
    if [ -f "$stamp" ]; then
        echo "imagesync: build/ or src/ changed; compiling the tool again ($took)..." >&2
    else
        echo "imagesync: compiling the tool (first run only; $took)..." >&2
    fi
    if build_log=$(publish "$kind"); then
        echo "$kind $inputs" >"$stamp"
    elif [ "$kind" = native ] && managed_log=$(publish managed); then
        # The C# compiled (the managed build did); the ahead-of-time compiler or the linker did not. Run on dotnet, and
        # say so once. (test.sh refuses this, so a change that breaks the native build does not land.)
        echo "warning: the ahead-of-time build failed, so the tool runs on dotnet (about 0.2 s more a call); set IMAGE_SYNC_AOT=0 to skip trying. First error:" >&2
        { grep -m1 -i 'error' <<<"$build_log" || tail -n1 <<<"$build_log"; } | cut -c1-300 >&2
        echo "managed $inputs native-failed" >"$stamp"
    else
        echo "${managed_log:-$build_log}" >&2
        echo "error: the build project did not compile" >&2
        exit 1
    fi
fi
export IMAGE_SYNC_ROOT="${IMAGE_SYNC_ROOT:-$root}"
if [ -f "$out/_build.dll" ]; then
    exec dotnet "$out/_build.dll" "$@"
fi
exec "$out/_build" "$@"
