# Sourced by the scripts that time skopeo. skopeo run as root keeps a persistent blob-info cache in
# /var/lib/containers/cache that remembers blob locations across runs, which changes what a "cold" run does.
#
#   private_skopeo_cache FLAG DIR "$0" "$@"
#
# re-runs the calling script in a private mount namespace (FLAG, an environment variable's name, marks the re-run)
# with DIR bound over that cache; the caller empties DIR before each cold run. The system cache is left untouched.
private_skopeo_cache() {
    local flag=$1 dir=$2 cache=/var/lib/containers/cache
    shift 2
    mkdir -p "$dir" "$cache"
    if [ -z "${!flag:-}" ] && unshare --mount true 2>/dev/null; then
        exec env "$flag=1" unshare --mount --propagation private "$@"
    elif [ -n "${!flag:-}" ]; then
        mount --bind "$dir" "$cache"
    else
        echo "warning: no mount namespace; skopeo shares $cache with earlier runs" >&2
    fi
}
