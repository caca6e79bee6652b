using ImageSync.Config;
using ImageSync.Errors;

namespace ImageSync.Upstream;

/// <summary>
/// Which repository and ref AutoUpdate (and AdoptSamples) read: --upstream-repo over the configuration's
/// repository; for the ref, --upstream-ref first, then UPDATE_BRANCH (what sail-operator's tools/update_deps.sh and
/// Istio's automator set, so a release branch follows release-1.28), then the configuration's ref.
/// </summary>
public static class UpstreamRef
{
    /// <exception cref="ImageSyncException">UPDATE_BRANCH is not a git ref name (it would reach an API path).</exception>
    public static UpstreamSampleSource Resolve(UpstreamSampleSource configured, string? repository, string? upstreamRef, string? updateBranch)
    {
        string? fromEnvironment = null;
        if (updateBranch is { Length: > 0 })
        {
            fromEnvironment = GitHubNames.IsRefName(updateBranch, out var error) ? updateBranch : throw new ImageSyncException($"UPDATE_BRANCH: {error}");
        }
        return configured with
        {
            Repository = repository ?? configured.Repository,
            Ref = upstreamRef ?? fromEnvironment ?? configured.Ref,
        };
    }
}
