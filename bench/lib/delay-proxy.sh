#!/usr/bin/env bash
# Build the bench's delay proxy (bench/delay-proxy/) once and print the command that runs it.
#
#   delay-proxy.sh        prints e.g. env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 /repo/.artifacts/delay-proxy/delay-proxy
#
# Inline completions: a socket's continuation (copy the bytes on) runs on the thread that saw the socket ready instead
# of being queued to the pool; with it 4,000 HEADs cost the proxy 0.26 s of CPU instead of 0.43 s. A switch of the
# environment only, so it goes on the command line.
#
# Compiled ahead of time where a C compiler is present (no JIT while it is measured, 2 MiB private memory), else a
# Release build run by `dotnet`. Cached in .artifacts/delay-proxy by a digest of its sources, as build.sh caches the
# tool: reruns do not rebuild. Build output goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
src=$root/bench/delay-proxy
out=$root/.artifacts/delay-proxy
kind=managed
if command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1; then kind=native; fi
inputs=$(cd "$root" && find bench/delay-proxy \( -path '*/bin' -o -path '*/obj' \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' \) -print \
    | LC_ALL=C sort | xargs sha256sum | cat - Directory.Build.props global.json | sha256sum | cut -d' ' -f1)
run() {
    local env="env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1"
    if [ -x "$out/delay-proxy" ]; then echo "$env $out/delay-proxy"; else echo "$env dotnet $out/delay-proxy.dll"; fi
}
case "$(cat "$out/.built" 2>/dev/null)" in
    "$kind $inputs" | "managed $inputs native-failed") run; exit 0 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "delay-proxy: building ($kind)..." >&2
rm -rf "$out"
publish() { dotnet publish "$src/DelayProxy.csproj" -c Release --use-current-runtime -o "$out" -nologo -v:q -clp:ErrorsOnly "$@" >&2; }
stamp="$kind $inputs"
if [ "$kind" = native ]; then
    if ! publish -p:PublishAot=true -p:CopyOutputSymbolsToPublishDirectory=false; then
        echo "delay-proxy: the native build failed; building it managed" >&2
        rm -rf "$out"; stamp="managed $inputs native-failed"; kind=managed
    fi
fi
[ "$kind" = managed ] && publish --self-contained false
echo "$stamp" >"$out/.built"
run
