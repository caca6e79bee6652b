#!/usr/bin/env bash
# Drop-in for sail-operator's hack/update-istio-samples.sh (what `make update-istio-samples` runs): mirrors the images
# that the kustomizations under tests/e2e/samples/ make the e2e tests pull, to HUB. imagesync derives the list as
# kubectl kustomize would (the vendored files' image: lines through each kustomization's images: entries), so it
# follows registry.istio.io/... and local resources, and copies in process (no yq, crane or curl). An image mapped
# outside HUB (quay.io/curl/curl, the curl project's) is listed, never written.
#
# Usage: hack/update-istio-samples.sh [--dry-run] [imagesync parameters...]
#   --dry-run   read both registries and show what would be copied; write nothing
#   anything else goes on to imagesync (e.g. --debug, --shard 1/2, --registry quay.io=http://127.0.0.1:5000)
#
# Environment:
#   HUB          the target prefix that is ours to write (default quay.io/sail-dev); it replaces kustomize.targets
#   CONFIG_FILE  the configuration (default image-sync-config.json at the repository root, with a "kustomize" section;
#                examples/sail-operator/image-sync-config.json in imagesync's repository is one)
#   and every variable imagesync reads (./build.sh --help); quay.io credentials come from Docker's config.json or
#   registries."quay.io".username_env/password_env.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
repo=${IMAGE_SYNC_ROOT:-$root}
HUB=${HUB:-quay.io/sail-dev}

case ${1:-} in
    -h|--help|help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

[ -n "${CONFIG_FILE:-}" ] && export IMAGE_SYNC_CONFIG="$CONFIG_FILE"
config=${IMAGE_SYNC_CONFIG:-$repo/image-sync-config.json}
if [ ! -f "$config" ]; then
    echo "error: no configuration at $config: add one with a \"kustomize\" section (see docs/IMAGE_SYNC.md, \"imagesync in sail-operator today\"), or set CONFIG_FILE" >&2
    exit 1
fi
export IMAGE_SYNC_CONFIG="$config"

target=SyncAll
args=()
for arg in "$@"; do
    case $arg in
        --dry-run|--dry-run=true) target=DryRun ;;
        *) args+=("$arg") ;;
    esac
done
exec "$root/build.sh" "$target" --kustomize-targets "${HUB%/}/" ${args[@]+"${args[@]}"}
