using System.CommandLine;
using System.Globalization;

namespace ImageSync.Build;

internal enum ParameterKind
{
    Flag,
    Value,
    List,
}

/// <summary>A build parameter as Nuke has them: a flag, an environment variable, a description.</summary>
internal sealed record ParameterInfo(string Name, string? Env, ParameterKind Kind, string Description, string? ValueName = null, string? Default = null)
{
    public string Flag => "--" + Name;
}

/// <summary>Every parameter, resolved: flag first, then environment, then default.</summary>
internal sealed record BuildParameters
{
    public static readonly IReadOnlyList<ParameterInfo> All =
    [
        new("config", "IMAGE_SYNC_CONFIG", ParameterKind.Value, "Configuration file", "PATH", "image-sync-config.json"),
        new("images-file", "SYNCER_IMAGES_FILE", ParameterKind.Value, "Read kyma's external-images.yaml format instead of --config", "PATH"),
        new("target-repo-prefix", "SYNCER_TARGET_REPO_PREFIX", ParameterKind.Value, "With --images-file: prefix of every target repository", "PREFIX"),
        new("target-repo-auth-key", "SYNCER_TARGET_REPO_AUTH_KEY", ParameterKind.Value, "With --images-file: JSON key file for the target prefix's registry (sent as user _json_key)", "PATH"),
        new("access-token", "SYNCER_ACCESS_TOKEN", ParameterKind.Value, "With --images-file: bearer token for the target prefix's registry (prefer the variable)", "TOKEN"),
        new("image", "IMAGE_SYNC_IMAGE", ParameterKind.Value, "Sync, Discover: the image name from the configuration", "NAME"),
        new("tag", "IMAGE_SYNC_TAG", ParameterKind.Value, "Sync: only this tag of --image", "TAG"),
        new("registry", "IMAGE_SYNC_REGISTRIES", ParameterKind.List, "Reach a registry name at another URL, e.g. docker.io=http://127.0.0.1:5000 (repeatable; env: comma-separated)", "NAME=URL"),
        new("concurrency", "IMAGE_SYNC_CONCURRENCY", ParameterKind.Value, "Blob transfers at once", "N", "4"),
        new("retries", "IMAGE_SYNC_RETRIES", ParameterKind.Value, "Retries of a request on 408, 429, 5xx or a dropped connection, with backoff and Retry-After", "N", "4"),
        new("timeout", "IMAGE_SYNC_TIMEOUT", ParameterKind.Value, "Seconds to wait for a response, or for the next bytes of a body, before the attempt fails and is retried (connecting: at most 15)", "SECONDS", "30"),
        new("dry-run", "SYNCER_DRY_RUN", ParameterKind.Flag, "Plan only: read both registries, write nothing"),
        new("fail-fast", "IMAGE_SYNC_FAIL_FAST", ParameterKind.Flag, "SyncAll: stop at the first failed tag"),
        new("no-signatures", "IMAGE_SYNC_NO_SIGNATURES", ParameterKind.Flag, "Do not copy cosign .sig/.att/.sbom tags"),
        new("report", "IMAGE_SYNC_REPORT", ParameterKind.Value, "Write a JSON report of the results to PATH", "PATH"),
        new("debug", "SYNCER_DEBUG", ParameterKind.Flag, "Log every registry request (never credentials)"),
        new("max", "IMAGE_SYNC_MAX", ParameterKind.Value, "Discover: how many of the newest upstream tags to show (default: max_tags_to_check)", "N"),
        new("upstream-repo", "IMAGE_SYNC_UPSTREAM_REPO", ParameterKind.Value, "AutoUpdate: GitHub repository with the upstream samples (default: upstream_samples.repository, istio/istio)", "OWNER/NAME"),
        new("upstream-ref", "IMAGE_SYNC_UPSTREAM_REF", ParameterKind.Value, "AutoUpdate: branch, tag or commit to read (default: upstream_samples.ref, master)", "REF"),
        new("github-api-url", "GITHUB_API_URL", ParameterKind.Value, "GitHub API base URL, for GitHub Enterprise (token: GITHUB_TOKEN)", "URL", "https://api.github.com"),
        new("samples", "IMAGE_SYNC_SAMPLES", ParameterKind.Value, "AutoUpdate: the folder of sample manifests to rewrite", "DIR", "samples"),
        new("follow-moves", "IMAGE_SYNC_FOLLOW_MOVES", ParameterKind.Flag, "AutoUpdate: rewrite an image's upstream when upstream moved it to another registry or repository"),
        new("commit", "IMAGE_SYNC_COMMIT", ParameterKind.Flag, "AutoUpdate: commit the changes on --branch"),
        new("pull-request", "IMAGE_SYNC_PULL_REQUEST", ParameterKind.Flag, "AutoUpdate: commit, push the branch to origin and open or update a pull request (repository: GITHUB_REPOSITORY, else origin)"),
        new("branch", "IMAGE_SYNC_BRANCH", ParameterKind.Value, "AutoUpdate: branch for the commit", "NAME", "image-sync/update-tags"),
        new("base-branch", "IMAGE_SYNC_BASE_BRANCH", ParameterKind.Value, "AutoUpdate: branch the pull request targets (default: the repository's default branch)", "NAME"),
        new("git-author", "IMAGE_SYNC_GIT_AUTHOR", ParameterKind.Value, "AutoUpdate: commit author (default: git config, else github-actions[bot])", "\"NAME <EMAIL>\""),
    ];

    public required string ConfigPath { get; init; }
    public string? ImagesFile { get; init; }
    public string? TargetRepoPrefix { get; init; }
    public string? TargetRepoAuthKey { get; init; }
    public string? AccessToken { get; init; }
    public string? Image { get; init; }
    public string? Tag { get; init; }
    public IReadOnlyList<string> Registries { get; init; } = [];
    public int Concurrency { get; init; } = 4;
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

    /// <summary>Reads the parsed command line and the environment; a bad value is a usage error.</summary>
    public static BuildParameters Resolve(ParseResult parsed, IReadOnlyDictionary<string, Option> options, Func<string, string?> environment, string root)
    {
        string? Value(string name)
        {
            var info = All.Single(p => p.Name == name);
            var option = options[name];
            if (parsed.GetResult(option) is { Implicit: false } && parsed.GetValue((Option<string>)option) is { } given)
            {
                return given;
            }
            return info.Env is { } env && environment(env) is { Length: > 0 } fromEnv ? fromEnv : info.Default;
        }

        bool Flag(string name)
        {
            var info = All.Single(p => p.Name == name);
            if (parsed.GetResult(options[name]) is { Implicit: false })
            {
                return true;
            }
            var text = info.Env is { } env ? environment(env) : null;
            return text?.Trim().ToLowerInvariant() switch
            {
                null or "" or "0" or "false" or "no" or "off" => false,
                "1" or "true" or "yes" or "on" => true,
                _ => throw new UsageException($"{info.Env}: \"{text}\" is not a boolean (true or false)"),
            };
        }

        IReadOnlyList<string> List(string name)
        {
            var info = All.Single(p => p.Name == name);
            var given = parsed.GetValue((Option<string[]>)options[name]) ?? [];
            if (given.Length > 0)
            {
                return given;
            }
            return info.Env is { } env && environment(env) is { Length: > 0 } fromEnv
                ? fromEnv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
        }

        var concurrencyText = Value("concurrency")!;
        if (!int.TryParse(concurrencyText, NumberStyles.None, CultureInfo.InvariantCulture, out var concurrency) || concurrency is < 1 or > 64)
        {
            throw new UsageException($"--concurrency: \"{concurrencyText}\" is not a whole number from 1 to 64");
        }

        var retriesText = Value("retries")!;
        if (!int.TryParse(retriesText, NumberStyles.None, CultureInfo.InvariantCulture, out var retries) || retries > 10)
        {
            throw new UsageException($"--retries: \"{retriesText}\" is not a whole number from 0 to 10");
        }

        var timeoutText = Value("timeout")!;
        if (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) || timeout is < 1 or > 3600)
        {
            throw new UsageException($"--timeout: \"{timeoutText}\" is not a whole number of seconds from 1 to 3600");
        }

        int? max = null;
        if (Value("max") is { } maxText)
        {
            max = int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0 ? m
                : throw new UsageException($"--max: \"{maxText}\" is not a whole number greater than 0");
        }
        var apiText = Value("github-api-url")!;
        if (!Uri.TryCreate(apiText, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--github-api-url: \"{apiText}\" is not an http(s) URL");
        }
        if (Value("upstream-repo") is { } upstreamRepo && !ImageSync.Upstream.GitHubNames.IsRepository(upstreamRepo, out var repoError))
        {
            throw new UsageException($"--upstream-repo: {repoError}");
        }
        if (Value("upstream-ref") is { } upstreamRef && !ImageSync.Upstream.GitHubNames.IsRefName(upstreamRef, out var refError))
        {
            throw new UsageException($"--upstream-ref: {refError}");
        }
        foreach (var branchParameter in new[] { "branch", "base-branch" })
        {
            if (Value(branchParameter) is { } branchName && !ImageSync.Upstream.GitHubNames.IsRefName(branchName, out var branchError))
            {
                throw new UsageException($"--{branchParameter}: {branchError}");
            }
        }
        if (Value("git-author") is { } author && !ImageSync.Git.GitAuthor.TryParse(author, out _))
        {
            throw new UsageException($"--git-author: \"{author}\" is not \"Name <email>\"");
        }
        // A default is relative to the repository root; a path the user gave is relative to where they are.
        string RootedDefault(string name)
        {
            var value = Value(name)!;
            var given = parsed.GetResult(options[name]) is { Implicit: false } || All.Single(p => p.Name == name).Env is { } env && environment(env) is { Length: > 0 };
            return Path.IsPathRooted(value) || given ? value : Path.Combine(root, value);
        }

        return new BuildParameters
        {
            ConfigPath = RootedDefault("config"),
            ImagesFile = Value("images-file"),
            TargetRepoPrefix = Value("target-repo-prefix"),
            TargetRepoAuthKey = Value("target-repo-auth-key"),
            AccessToken = Value("access-token"),
            Image = Value("image"),
            Tag = Value("tag"),
            Registries = List("registry"),
            Concurrency = concurrency,
            Retries = retries,
            TimeoutSeconds = timeout,
            DryRun = Flag("dry-run"),
            FailFast = Flag("fail-fast"),
            NoSignatures = Flag("no-signatures"),
            ReportPath = Value("report"),
            Debug = Flag("debug"),
            Max = max,
            UpstreamRepo = Value("upstream-repo"),
            UpstreamRef = Value("upstream-ref"),
            GitHubApiUrl = api,
            SamplesDirectory = RootedDefault("samples"),
            FollowMoves = Flag("follow-moves"),
            Commit = Flag("commit") || Flag("pull-request"),
            PullRequest = Flag("pull-request"),
            Branch = Value("branch")!,
            BaseBranch = Value("base-branch"),
            GitAuthor = Value("git-author"),
        };
    }
}

/// <summary>A mistake in how the tool was called: printed as one line, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
