using ImageSync.Registry;
using ImageSync.Registry.Http;
using static ImageSync.Build.ParameterKinds;

namespace ImageSync.Build;

/// <summary>
/// Every parameter, declared once and typed, in the order help and the README list them: a declaration is all a new
/// parameter needs (targets read it with <see cref="BuildParameters.Get{T}"/>). Help, .nuke/build.schema.json and the
/// README's table are generated from here; values are read from the command line, then the environment, then
/// .nuke/parameters.json, then the default, which is the library's own where the library has one.
/// </summary>
internal static class ParameterTable
{
    // First, so that it exists when the declarations below add themselves to it.
    private static readonly List<Parameter> Declared = [];

    public static readonly Parameter<string> Config = Declare(Text("config", "IMAGE_SYNC_CONFIG", "Configuration file", "PATH", "image-sync-config.json").AsRootedPath());
    public static readonly Parameter<string?> ImagesFile = Declare(Optional("images-file", "SYNCER_IMAGES_FILE", "Read kyma's external-images.yaml format instead of --config", "PATH"));
    public static readonly Parameter<string?> TargetRepoPrefix = Declare(Optional("target-repo-prefix", "SYNCER_TARGET_REPO_PREFIX", "With --images-file: prefix of every target repository", "PREFIX"));
    public static readonly Parameter<string?> TargetRepoAuthKey = Declare(Optional("target-repo-auth-key", "SYNCER_TARGET_REPO_AUTH_KEY", "With --images-file: JSON key file for the target prefix's registry (sent as user _json_key)", "PATH"));
    public static readonly Parameter<string?> AccessToken = Declare(Optional("access-token", "SYNCER_ACCESS_TOKEN", "With --images-file: bearer token for the target prefix's registry (prefer the variable)", "TOKEN").AsSecret());
    public static readonly Parameter<string?> Image = Declare(Optional("image", "IMAGE_SYNC_IMAGE", "Sync, Discover: the image name from the configuration", "NAME"));
    public static readonly Parameter<string?> Tag = Declare(Optional("tag", "IMAGE_SYNC_TAG", "Sync: only this tag of --image", "TAG", ImageSync.References.Reference.IsTag));
    public static readonly Parameter<ImageSync.Config.Shard?> Shard = Declare(new Parameter<ImageSync.Config.Shard?>("shard", "IMAGE_SYNC_SHARD", "Status, DryRun, SyncAll: only shard K of N of the images, by a hash of each name (a CI matrix runs N of them)", "K/N", null, ParseShard, "string"));
    public static readonly Parameter<int?> MaxShards = Declare(new Parameter<int?>("max-shards", "IMAGE_SYNC_MAX_SHARDS", "List: also plan a CI matrix of at most N shards, the most with no shard empty (in GitHub Actions written to $GITHUB_OUTPUT as shard-count and shards)", "N", null, ParseMax, "integer"));
    public static readonly Parameter<string[]> Registry = Declare(List("registry", "IMAGE_SYNC_REGISTRIES", "Reach a registry name at another URL, e.g. docker.io=http://127.0.0.1:5000 (repeatable; env: comma-separated)", "NAME=URL"));
    public static readonly Parameter<string[]> KustomizeTargets = Declare(List("kustomize-targets", "IMAGE_SYNC_KUSTOMIZE_TARGETS", "Target prefixes that are ours to write, instead of the configuration's kustomize.targets, e.g. quay.io/sail-dev/ (repeatable; env: comma-separated)", "PREFIX"));
    public static readonly Parameter<int> Concurrency = Declare(Number("concurrency", "IMAGE_SYNC_CONCURRENCY", "Blob transfers at once (bandwidth-bound)", SessionSettings.DefaultConcurrency, 1, 64));
    public static readonly Parameter<int> Checks = Declare(Number("checks", "IMAGE_SYNC_CHECKS", "Tags checked at once (HEAD requests, latency-bound; blob transfers stay bounded by --concurrency); also the connections per registry host", SessionSettings.DefaultChecks, 1, 256));
    public static readonly Parameter<int> Retries = Declare(Number("retries", "IMAGE_SYNC_RETRIES", "Retries of a request on 408, 429, 5xx or a dropped or stalled connection, with backoff and Retry-After", RetryPolicy.DefaultMaxRetries, 0, 10));
    public static readonly Parameter<int> Timeout = Declare(Number("timeout", "IMAGE_SYNC_TIMEOUT", "Seconds to wait for a response, or for the next bytes of a body, before the attempt fails and is retried (connecting: at most 15)", Timeouts.DefaultSeconds, 1, 3600, "SECONDS"));
    public static readonly Parameter<string?> Merge = Declare(Optional("merge", "IMAGE_SYNC_MERGE", "Report: merge the JSON reports (--report files) found in DIR into one table, summary and exit code", "DIR"));
    public static readonly Parameter<bool> DryRun = Declare(Switch("dry-run", "SYNCER_DRY_RUN", "Plan only: read both registries, write nothing"));
    public static readonly Parameter<bool> FailFast = Declare(Switch("fail-fast", "IMAGE_SYNC_FAIL_FAST", "SyncAll: stop at the first failed tag"));
    public static readonly Parameter<bool> NoSignatures = Declare(Switch("no-signatures", "IMAGE_SYNC_NO_SIGNATURES", "Do not copy signatures, attestations, SBOMs or other referrers (cosign .sig/.att/.sbom tags, OCI 1.1 referrers)"));
    public static readonly Parameter<string?> Report = Declare(Optional("report", "IMAGE_SYNC_REPORT", "Write a JSON report of the results to PATH", "PATH"));
    public static readonly Parameter<bool> Debug = Declare(Switch("debug", "SYNCER_DEBUG", "Log every registry request (never credentials)"));
    public static readonly Parameter<int?> Max = Declare(new Parameter<int?>("max", "IMAGE_SYNC_MAX", "Discover: how many of the newest upstream tags to show (default: max_tags_to_check)", "N", null, ParseMax, "integer"));
    public static readonly Parameter<string?> UpstreamRepo = Declare(Optional("upstream-repo", "IMAGE_SYNC_UPSTREAM_REPO", "AutoUpdate: GitHub repository with the upstream samples (default: upstream_samples.repository, istio/istio)", "OWNER/NAME", ImageSync.Upstream.GitHubNames.IsRepository));
    public static readonly Parameter<string?> UpstreamRef = Declare(Optional("upstream-ref", "IMAGE_SYNC_UPSTREAM_REF", "AutoUpdate, AdoptSamples: branch, tag or commit to read (default: UPDATE_BRANCH, as update_deps.sh sets it, else upstream_samples.ref, master)", "REF", ImageSync.Upstream.GitHubNames.IsRefName));
    public static readonly Parameter<Uri> GitHubApiUrl = Declare(new Parameter<Uri>("github-api-url", "GITHUB_API_URL", "GitHub API base URL, for GitHub Enterprise (token: GITHUB_TOKEN)", "URL", new Uri("https://api.github.com"), ParseUrl, "string"));
    public static readonly Parameter<string?> GitHubToken = Declare(Optional("github-token", "GITHUB_TOKEN", "GitHub token for the API, the push and the pull request (prefer the variable, which Actions sets)", "TOKEN").AsSecret());
    public static readonly Parameter<string> Samples = Declare(Text("samples", "IMAGE_SYNC_SAMPLES", "AutoUpdate: the folder of sample manifests to rewrite", "DIR", "samples").AsRootedPath());
    public static readonly Parameter<bool> FollowMoves = Declare(Switch("follow-moves", "IMAGE_SYNC_FOLLOW_MOVES", "AutoUpdate: rewrite an image's upstream when upstream moved it to another registry or repository"));
    public static readonly Parameter<bool> Commit = Declare(Switch("commit", "IMAGE_SYNC_COMMIT", "AutoUpdate: commit the changes on --branch"));
    public static readonly Parameter<bool> PullRequest = Declare(Switch("pull-request", "IMAGE_SYNC_PULL_REQUEST", "AutoUpdate: commit, push the branch to origin and open or update a pull request (repository: GITHUB_REPOSITORY, else origin)"));
    public static readonly Parameter<string> Branch = Declare(Text("branch", "IMAGE_SYNC_BRANCH", "AutoUpdate: branch for the commit", "NAME", "image-sync/update-tags", ImageSync.Upstream.GitHubNames.IsRefName));
    public static readonly Parameter<string?> BaseBranch = Declare(Optional("base-branch", "IMAGE_SYNC_BASE_BRANCH", "AutoUpdate: branch the pull request targets (default: the repository's default branch)", "NAME", ImageSync.Upstream.GitHubNames.IsRefName));
    public static readonly Parameter<string?> GitAuthor = Declare(Optional("git-author", "IMAGE_SYNC_GIT_AUTHOR", "AutoUpdate: commit author (default: git config, else github-actions[bot])", "\"NAME <EMAIL>\"", IsAuthor));

    /// <summary>Every declaration above, in its order.</summary>
    public static IReadOnlyList<Parameter> All => Declared;

    private static Parameter<T> Declare<T>(Parameter<T> parameter)
    {
        Declared.Add(parameter);
        return parameter;
    }
}
