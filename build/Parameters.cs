using System.CommandLine;

namespace ImageSync.Build;

/// <summary>
/// Every parameter, declared once and typed. Help, .nuke/build.schema.json and the README's table are generated
/// from here; values are read from the command line, then the environment, then .nuke/parameters.json, then the
/// default.
/// </summary>
internal static class ParameterTable
{
    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    public static readonly Parameter<string> Config = Text("config", "IMAGE_SYNC_CONFIG", "Configuration file", "PATH", "image-sync-config.json");
    public static readonly Parameter<string?> ImagesFile = Optional("images-file", "SYNCER_IMAGES_FILE", "Read kyma's external-images.yaml format instead of --config", "PATH");
    public static readonly Parameter<string?> TargetRepoPrefix = Optional("target-repo-prefix", "SYNCER_TARGET_REPO_PREFIX", "With --images-file: prefix of every target repository", "PREFIX");
    public static readonly Parameter<string?> TargetRepoAuthKey = Optional("target-repo-auth-key", "SYNCER_TARGET_REPO_AUTH_KEY", "With --images-file: JSON key file for the target prefix's registry (sent as user _json_key)", "PATH");
    public static readonly Parameter<string?> AccessToken = Optional("access-token", "SYNCER_ACCESS_TOKEN", "With --images-file: bearer token for the target prefix's registry (prefer the variable)", "TOKEN");
    public static readonly Parameter<string?> Image = Optional("image", "IMAGE_SYNC_IMAGE", "Sync, Discover: the image name from the configuration", "NAME");
    public static readonly Parameter<string?> Tag = Optional("tag", "IMAGE_SYNC_TAG", "Sync: only this tag of --image", "TAG", ImageSync.References.Reference.IsTag);
    public static readonly Parameter<string[]> Registry = new("registry", "IMAGE_SYNC_REGISTRIES", "Reach a registry name at another URL, e.g. docker.io=http://127.0.0.1:5000 (repeatable; env: comma-separated)", "NAME=URL", [], (IReadOnlyList<string> words, out string[] value, out string error) => { value = [.. words]; error = ""; return true; }, "array", isList: true);
    public static readonly Parameter<string[]> KustomizeTargets = new("kustomize-targets", "IMAGE_SYNC_KUSTOMIZE_TARGETS", "Target prefixes that are ours to write, instead of the configuration's kustomize.targets, e.g. quay.io/sail-dev/ (repeatable; env: comma-separated)", "PREFIX", [], (IReadOnlyList<string> words, out string[] value, out string error) => { value = [.. words]; error = ""; return true; }, "array", isList: true);
    public static readonly Parameter<int> Concurrency = Number("concurrency", "IMAGE_SYNC_CONCURRENCY", "Blob transfers at once (bandwidth-bound)", 8, 1, 64);
    public static readonly Parameter<int> Checks = Number("checks", "IMAGE_SYNC_CHECKS", "Tags checked at once (HEAD requests, latency-bound; blob transfers stay bounded by --concurrency); also the connections per registry host", 64, 1, 256);
    public static readonly Parameter<int> Retries = Number("retries", "IMAGE_SYNC_RETRIES", "Retries of a request on 408, 429, 5xx or a dropped or stalled connection, with backoff and Retry-After", 4, 0, 10);
    public static readonly Parameter<int> Timeout = Number("timeout", "IMAGE_SYNC_TIMEOUT", "Seconds to wait for a response, or for the next bytes of a body, before the attempt fails and is retried (connecting: at most 15)", 30, 1, 3600, "SECONDS");
    public static readonly Parameter<ImageSync.Config.Shard?> Shard = new("shard", "IMAGE_SYNC_SHARD", "Status, DryRun, SyncAll: only shard K of N of the images, by a hash of each name (a CI matrix runs N of them)", "K/N", null, ParseShard, "string");
    public static readonly Parameter<int?> MaxShards = new("max-shards", "IMAGE_SYNC_MAX_SHARDS", "List: also plan a CI matrix of at most N shards, the most with no shard empty (in GitHub Actions written to $GITHUB_OUTPUT as shard-count and shards)", "N", null, ParseMax, "integer");
    public static readonly Parameter<string?> Merge = Optional("merge", "IMAGE_SYNC_MERGE", "Report: merge the JSON reports (--report files) found in DIR into one table, summary and exit code", "DIR");
    public static readonly Parameter<bool> DryRun = Switch("dry-run", "SYNCER_DRY_RUN", "Plan only: read both registries, write nothing");
    public static readonly Parameter<bool> FailFast = Switch("fail-fast", "IMAGE_SYNC_FAIL_FAST", "SyncAll: stop at the first failed tag");
    public static readonly Parameter<bool> NoSignatures = Switch("no-signatures", "IMAGE_SYNC_NO_SIGNATURES", "Do not copy cosign .sig/.att/.sbom tags");
    public static readonly Parameter<string?> Report = Optional("report", "IMAGE_SYNC_REPORT", "Write a JSON report of the results to PATH", "PATH");
    public static readonly Parameter<bool> Debug = Switch("debug", "SYNCER_DEBUG", "Log every registry request (never credentials)");
    public static readonly Parameter<int?> Max = new("max", "IMAGE_SYNC_MAX", "Discover: how many of the newest upstream tags to show (default: max_tags_to_check)", "N", null, ParseMax, "integer");
    public static readonly Parameter<string?> UpstreamRepo = Optional("upstream-repo", "IMAGE_SYNC_UPSTREAM_REPO", "AutoUpdate: GitHub repository with the upstream samples (default: upstream_samples.repository, istio/istio)", "OWNER/NAME", ImageSync.Upstream.GitHubNames.IsRepository);
    public static readonly Parameter<string?> UpstreamRef = Optional("upstream-ref", "IMAGE_SYNC_UPSTREAM_REF", "AutoUpdate, AdoptSamples: branch, tag or commit to read (default: UPDATE_BRANCH, as update_deps.sh sets it, else upstream_samples.ref, master)", "REF", ImageSync.Upstream.GitHubNames.IsRefName);
    public static readonly Parameter<Uri> GitHubApiUrl = new("github-api-url", "GITHUB_API_URL", "GitHub API base URL, for GitHub Enterprise (token: GITHUB_TOKEN)", "URL", new Uri("https://api.github.com"), ParseUrl, "string");
    public static readonly Parameter<string> Samples = Text("samples", "IMAGE_SYNC_SAMPLES", "AutoUpdate: the folder of sample manifests to rewrite", "DIR", "samples");
    public static readonly Parameter<bool> FollowMoves = Switch("follow-moves", "IMAGE_SYNC_FOLLOW_MOVES", "AutoUpdate: rewrite an image's upstream when upstream moved it to another registry or repository");
    public static readonly Parameter<bool> Commit = Switch("commit", "IMAGE_SYNC_COMMIT", "AutoUpdate: commit the changes on --branch");
    public static readonly Parameter<bool> PullRequest = Switch("pull-request", "IMAGE_SYNC_PULL_REQUEST", "AutoUpdate: commit, push the branch to origin and open or update a pull request (repository: GITHUB_REPOSITORY, else origin)");
    public static readonly Parameter<string> Branch = Text("branch", "IMAGE_SYNC_BRANCH", "AutoUpdate: branch for the commit", "NAME", "image-sync/update-tags", ImageSync.Upstream.GitHubNames.IsRefName);
    public static readonly Parameter<string?> BaseBranch = Optional("base-branch", "IMAGE_SYNC_BASE_BRANCH", "AutoUpdate: branch the pull request targets (default: the repository's default branch)", "NAME", ImageSync.Upstream.GitHubNames.IsRefName);
    public static readonly Parameter<string?> GitAuthor = Optional("git-author", "IMAGE_SYNC_GIT_AUTHOR", "AutoUpdate: commit author (default: git config, else github-actions[bot])", "\"NAME <EMAIL>\"", IsAuthor);

    /// <summary>In the order help and the README list them.</summary>
    public static readonly IReadOnlyList<Parameter> All =
    [
        Config, ImagesFile, TargetRepoPrefix, TargetRepoAuthKey, AccessToken, Image, Tag, Shard, MaxShards, Registry, KustomizeTargets, Concurrency, Checks, Retries, Timeout,
        Merge, DryRun, FailFast, NoSignatures, Report, Debug, Max, UpstreamRepo, UpstreamRef, GitHubApiUrl, Samples, FollowMoves,
        Commit, PullRequest, Branch, BaseBranch, GitAuthor,
    ];

    private delegate bool Check(string text, out string error);

    private static bool Single(IReadOnlyList<string> words, out string text, out string error)
    {
        text = words.Count == 1 ? words[0] : "";
        error = words.Count == 1 ? "" : "takes one value";
        return words.Count == 1;
    }

    private static Parameter<string> Text(string name, string env, string description, string valueName, string fallback, Check? check = null) =>
        new(name, env, description, valueName, fallback, (IReadOnlyList<string> words, out string value, out string error) =>
            Single(words, out value, out error) && (check is null || check(value, out error)), "string");

    private static Parameter<string?> Optional(string name, string env, string description, string valueName, Check? check = null) =>
        new(name, env, description, valueName, null, (IReadOnlyList<string> words, out string? value, out string error) =>
        {
            var ok = Single(words, out var text, out error) && (check is null || check(text, out error));
            value = ok ? text : null;
            return ok;
        }, "string");

    private static Parameter<int> Number(string name, string env, string description, int fallback, int min, int max, string valueName = "N") =>
        new(name, env, description, valueName, fallback, (IReadOnlyList<string> words, out int value, out string error) =>
        {
            value = 0;
            if (Single(words, out var text, out error) && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            {
                return true;
            }
            error = $"\"{(words.Count == 1 ? words[0] : string.Join(" ", words))}\" is not a whole number from {min} to {max}";
            return false;
        }, "integer");

    private static Parameter<bool> Switch(string name, string env, string description) =>
        new(name, env, description, null, false, (IReadOnlyList<string> words, out bool value, out string error) =>
            TryParseBoolean(words.Count == 1 ? words[0] : string.Join(" ", words), out value, out error), "boolean", isSwitch: true);

    /// <summary>true/false, 1/0, yes/no, on/off, as kyma's flags and the SYNCER_* variables take them.</summary>
    public static bool TryParseBoolean(string text, out bool value, out string error)
    {
        var word = text.Trim().ToLowerInvariant();
        value = TrueWords.Contains(word);
        error = $"\"{text}\" is not a boolean (use {string.Join(", ", TrueWords.Zip(FalseWords, (t, f) => $"{t} or {f}"))})";
        return value || FalseWords.Contains(word);
    }

    /// <summary>
    /// <c>--switch=WORD</c> as kyma writes it, with any boolean word: System.CommandLine takes only true and false
    /// there, so the word is read here and passed on as one of those.
    /// </summary>
    public static string[] NormaliseSwitches(string[] args) => [.. args.Select(arg =>
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 0 || All.OfType<Parameter<bool>>().FirstOrDefault(p => p.Flag == arg[..eq]) is not { } flag)
        {
            return arg;
        }
        return TryParseBoolean(arg[(eq + 1)..], out var value, out var error)
            ? $"{flag.Flag}={(value ? "true" : "false")}"
            : throw new UsageException($"{flag.Flag}: {error}");
    })];

    private static bool ParseMax(IReadOnlyList<string> words, out int? value, out string error)
    {
        value = null;
        if (Single(words, out var text, out error) && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            value = n;
            return true;
        }
        error = $"\"{string.Join(" ", words)}\" is not a whole number greater than 0";
        return false;
    }

    private static bool ParseShard(IReadOnlyList<string> words, out ImageSync.Config.Shard? value, out string error)
    {
        value = null;
        return Single(words, out var text, out error) && ImageSync.Config.Shard.TryParse(text, out value, out error);
    }

    private static bool ParseUrl(IReadOnlyList<string> words, out Uri value, out string error)
    {
        value = null!;
        if (Single(words, out var text, out error) && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            value = uri;
            return true;
        }
        error = $"\"{string.Join(" ", words)}\" is not an http(s) URL";
        return false;
    }

    private static bool IsAuthor(string text, out string error)
    {
        var ok = ImageSync.Git.GitAuthor.TryParse(text, out _);
        error = ok ? "" : $"\"{text}\" is not \"Name <email>\"";
        return ok;
    }
}

/// <summary>One run's parameter values, typed, as <see cref="ParameterTable"/> resolves them.</summary>
internal sealed record BuildParameters
{
    public required string ConfigPath { get; init; }
    public string? ImagesFile { get; init; }
    public string? TargetRepoPrefix { get; init; }
    public string? TargetRepoAuthKey { get; init; }
    public string? AccessToken { get; init; }
    public string? Image { get; init; }
    public string? Tag { get; init; }
    public ImageSync.Config.Shard? Shard { get; init; }
    public int? MaxShards { get; init; }
    public string? Merge { get; init; }
    public IReadOnlyList<string> Registries { get; init; } = [];
    public IReadOnlyList<string> KustomizeTargets { get; init; } = [];
    public int Concurrency { get; init; } = 8;
    public int Checks { get; init; } = 64;
    public int Retries { get; init; } = 4;
    public int TimeoutSeconds { get; init; } = 30;
    public bool DryRun { get; init; }
    public bool FailFast { get; init; }
    public bool NoSignatures { get; init; }
    public string? ReportPath { get; init; }
    public bool Debug { get; init; }
    public int? Max { get; init; }
    public string? UpstreamRepo { get; init; }
    public string? UpstreamRef { get; init; }
    public required Uri GitHubApiUrl { get; init; }
    public required string SamplesDirectory { get; init; }
    public bool FollowMoves { get; init; }
    public bool Commit { get; init; }
    public bool PullRequest { get; init; }
    public required string Branch { get; init; }
    public string? BaseBranch { get; init; }
    public string? GitAuthor { get; init; }

    /// <summary>The typed values of one parsed command line; paths given by default are relative to the repository root.</summary>
    public static BuildParameters Resolve(ParseResult parsed, IReadOnlyDictionary<Parameter, Option> options, ParameterSources sources, string root)
    {
        T Get<T>(Parameter<T> parameter) => parsed.GetValue((Option<T>)options[parameter])!;

        // A path from the command line or the environment is relative to where the user is; a default, or one from
        // .nuke/parameters.json, to the repository root.
        string Rooted(Parameter<string> parameter)
        {
            var value = Get(parameter);
            var source = parameter.SourceOf(parsed, options[parameter], sources);
            return Path.IsPathRooted(value) || source is ParameterSource.CommandLine or ParameterSource.Environment ? value : Path.Combine(root, value);
        }

        return new BuildParameters
        {
            ConfigPath = Rooted(ParameterTable.Config),
            ImagesFile = Get(ParameterTable.ImagesFile),
            TargetRepoPrefix = Get(ParameterTable.TargetRepoPrefix),
            TargetRepoAuthKey = Get(ParameterTable.TargetRepoAuthKey),
            AccessToken = Get(ParameterTable.AccessToken),
            Image = Get(ParameterTable.Image),
            Tag = Get(ParameterTable.Tag),
            Shard = Get(ParameterTable.Shard),
            MaxShards = Get(ParameterTable.MaxShards),
            Merge = Get(ParameterTable.Merge),
            Registries = Get(ParameterTable.Registry),
            KustomizeTargets = Get(ParameterTable.KustomizeTargets),
            Concurrency = Get(ParameterTable.Concurrency),
            Checks = Get(ParameterTable.Checks),
            Retries = Get(ParameterTable.Retries),
            TimeoutSeconds = Get(ParameterTable.Timeout),
            DryRun = Get(ParameterTable.DryRun),
            FailFast = Get(ParameterTable.FailFast),
            NoSignatures = Get(ParameterTable.NoSignatures),
            ReportPath = Get(ParameterTable.Report),
            Debug = Get(ParameterTable.Debug),
            Max = Get(ParameterTable.Max),
            UpstreamRepo = Get(ParameterTable.UpstreamRepo),
            UpstreamRef = Get(ParameterTable.UpstreamRef),
            GitHubApiUrl = Get(ParameterTable.GitHubApiUrl),
            SamplesDirectory = Rooted(ParameterTable.Samples),
            FollowMoves = Get(ParameterTable.FollowMoves),
            Commit = Get(ParameterTable.Commit) || Get(ParameterTable.PullRequest),
            PullRequest = Get(ParameterTable.PullRequest),
            Branch = Get(ParameterTable.Branch),
            BaseBranch = Get(ParameterTable.BaseBranch),
            GitAuthor = Get(ParameterTable.GitAuthor),
        };
    }
}

/// <summary>A mistake in how the tool was called: printed as one line, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
