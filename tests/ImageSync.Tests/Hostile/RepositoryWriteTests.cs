using System.Text;
using ImageSync.Tests.Support;
using LibGit2Sharp;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// AutoUpdate writes only what it means to: regular files inside samples/ and the config, a bot branch of its own,
/// GITHUB_TOKEN only to origin's GitHub host; and in AutoSync an upstream move waits for its pull request.
/// </summary>
public sealed class RepositoryWriteTests : IAsyncLifetime, IDisposable
{
    private const string Token = "ghp_repo_write_token_0123456789";
    private const string Target = "quay.io/sail-dev/examples-tcp-echo-server";
    private GitHubApiServer _github = null!;
    private readonly DownstreamRepo _repo = new();

    public async Task InitializeAsync() => _github = await GitHubApiServer.StartAsync("istio", "istio", TestPaths.IstioRefs);

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _repo.Dispose();

    /// <summary>tcp-echo pinned at 1.2, as downstream was before Istio 1.29 moved it to 1.3.</summary>
    private void Seed(string extraConfig = "")
    {
        _repo.Write("image-sync-config.json", $$"""
            { "images": [ { "name": "tcp", "upstream": "docker.io/istio/tcp-echo-server", "target": "{{Target}}", "tags": ["1.2"],
                            "sample": "samples/tcp-echo/tcp-echo-ipv4.yaml" } ]{{extraConfig}} }
            """);
        _repo.Write("samples/tcp-echo/tcp-echo.yaml", $"spec:\n  image: {Target}:1.2\n");
        _repo.CommitAll("downstream");
    }

    private Task<CliRun> AutoUpdateAsync(string reference, params string[] extra) =>
        CliRunner.RunAsync(
            ["AutoUpdate", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", reference, "--git-author", "Sync Bot <bot@example.com>", .. extra],
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token, ["GITHUB_REPOSITORY"] = "org/downstream", ["HOME"] = _repo.Root },
            root: _repo.Path);

    [Fact]
    public async Task Links_in_samples_are_never_followed_so_files_outside_stay_as_they_were()
    {
        Seed();
        var outside = Path.Combine(_repo.Root, "outside");
        Directory.CreateDirectory(outside);
        var victim = Path.Combine(outside, "victim.yaml");
        await File.WriteAllTextAsync(victim, $"image: {Target}:1.2\n");
        File.CreateSymbolicLink(Path.Combine(_repo.SamplesPath, "linked-file.yaml"), victim);
        Directory.CreateSymbolicLink(Path.Combine(_repo.SamplesPath, "linked-dir"), outside);

        var run = await AutoUpdateAsync("1.29.0");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal($"spec:\n  image: {Target}:1.3\n", await File.ReadAllTextAsync(Path.Combine(_repo.SamplesPath, "tcp-echo", "tcp-echo.yaml")));
        Assert.Equal($"image: {Target}:1.2\n", await File.ReadAllTextAsync(victim));
    }

    [Fact]
    public async Task A_samples_folder_that_resolves_outside_the_repository_is_refused_and_nothing_is_written()
    {
        Seed();
        var outside = Path.Combine(_repo.Root, "elsewhere");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "x.yaml"), $"image: {Target}:1.2\n");
        var linked = Path.Combine(_repo.Path, "linked-samples");
        Directory.CreateSymbolicLink(linked, outside);
        var config = await File.ReadAllTextAsync(_repo.ConfigPath);

        var direct = await AutoUpdateAsync("1.29.0", "--samples", outside);
        var throughLink = await AutoUpdateAsync("1.29.0", "--samples", linked);

        Assert.True(direct.ExitCode == 1, direct.Out + direct.Error);
        Assert.Contains("outside the repository", direct.Error, StringComparison.Ordinal);
        Assert.Equal(1, throughLink.ExitCode);
        Assert.Contains("outside the repository", throughLink.Error, StringComparison.Ordinal);
        Assert.Equal(config, await File.ReadAllTextAsync(_repo.ConfigPath));
        Assert.Equal($"image: {Target}:1.2\n", await File.ReadAllTextAsync(Path.Combine(outside, "x.yaml")));
    }

    [Theory]
    [InlineData("main", "", "is a main branch")]
    [InlineData("release-1.0", "release-1.0", "is the pull request's base")]
    [InlineData("develop", "", "is the default branch of org/downstream")]
    [InlineData("image-sync/locked", "", "is a protected branch of org/downstream")]
    public async Task The_bot_never_commits_to_or_pushes_a_branch_people_work_on(string branch, string baseBranch, string why)
    {
        Seed();
        _github.ProtectedBranches.Add("image-sync/locked");
        _github.DefaultBranch = "develop";
        var config = await File.ReadAllTextAsync(_repo.ConfigPath);
        string[] extra = baseBranch.Length > 0 ? ["--base-branch", baseBranch] : [];

        var run = await AutoUpdateAsync("1.29.0", ["--pull-request", "--branch", branch, .. extra]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--branch {branch} {why}", run.Error, StringComparison.Ordinal);
        Assert.Equal(config, await File.ReadAllTextAsync(_repo.ConfigPath));
        using var origin = _repo.OpenOrigin();
        Assert.Empty(origin.Branches);
        Assert.Empty(_github.PullRequests);
    }

    [Fact]
    public async Task The_push_token_goes_to_origins_github_host_and_never_to_where_it_redirects()
    {
        Seed();
        await using var thief = await HostileServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return Task.CompletedTask;
        });
        await using var redirecting = await HostileServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(thief.Url, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString).ToString();
            return Task.CompletedTask;
        });
        await using var honest = await HostileServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return Task.CompletedTask;
        });
        using (var repo = _repo.Open())
        {
            repo.Network.Remotes.Update("origin", r => r.Url = new Uri(redirecting.Url, "org/downstream.git").ToString());
        }

        var redirected = await AutoUpdateAsync("1.29.0", "--pull-request");
        // The failed push left the commit on the bot branch; start again from main, as the next scheduled run would.
        _repo.Checkout("main");
        using (var repo = _repo.Open())
        {
            repo.Network.Remotes.Update("origin", r => r.Url = new Uri(honest.Url, "org/downstream.git").ToString());
        }
        var direct = await AutoUpdateAsync("1.29.0", "--pull-request");

        Assert.True(redirected.ExitCode == 1, redirected.Out + redirected.Error);
        Assert.DoesNotContain(Token, redirected.Out + redirected.Error, StringComparison.Ordinal);
        Assert.NotEmpty(redirecting.Seen);
        Assert.All(thief.Seen, r => Assert.False(r.Authorization?.StartsWith("Basic ", StringComparison.Ordinal) == true && Decode(r.Authorization).Contains(Token, StringComparison.Ordinal)));
        Assert.True(direct.ExitCode == 1, direct.Out + direct.Error);
        Assert.Contains(honest.Seen, r => r.Authorization is { } a && Decode(a) == $"x-access-token:{Token}");
    }

    [Fact]
    public async Task In_AutoSync_a_followed_move_is_proposed_and_the_image_is_still_copied_from_where_it_was()
    {
        await using var docker = await RegistryServer.StartAsync();
        await using var istio = await RegistryServer.StartAsync();
        await using var quay = await RegistryServer.StartAsync();
        var before = TestImage.Create("moved-before");
        await before.PushAsync(docker, "istio/tcp-echo-server", "1.3");
        await TestImage.Create("moved-after").PushAsync(istio, "release/tcp-echo-server", "1.3");
        _repo.Write("image-sync-config.json", $$"""
            { "images": [ { "name": "tcp", "upstream": "docker.io/istio/tcp-echo-server", "target": "{{Target}}", "tags": ["1.3"] } ] }
            """);
        _repo.Write("samples/tcp-echo/tcp-echo.yaml", $"image: {Target}:1.3\n");
        _repo.CommitAll("downstream at 1.29");

        var run = await CliRunner.RunAsync(
            ["AutoSync", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "master", "--follow-moves",
             "--registry", $"docker.io={docker.Url}", "--registry", $"registry.istio.io={istio.Url}", "--registry", $"quay.io={quay.Url}"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root }, root: _repo.Path);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("registry.istio.io/release/tcp-echo-server", await File.ReadAllTextAsync(_repo.ConfigPath), StringComparison.Ordinal);
        Assert.Contains("tcp: the move to registry.istio.io/release/tcp-echo-server waits for its pull request; copied from docker.io/istio/tcp-echo-server until then", run.Out, StringComparison.Ordinal);
        Assert.Equal(before.Root.Digest, await Skopeo.DigestAsync(quay, "sail-dev/examples-tcp-echo-server:1.3"));
    }

    [Fact]
    public async Task A_move_to_a_registry_that_trusted_upstreams_does_not_list_is_reported_and_not_written()
    {
        Seed(", \"trusted_upstreams\": [\"docker.io/istio\", \"quay.io\"]");
        var config = await File.ReadAllTextAsync(_repo.ConfigPath);

        var run = await AutoUpdateAsync("master", "--follow-moves");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("tcp: upstream moved to registry.istio.io/release/tcp-echo-server, which trusted_upstreams does not list; not followed", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"upstream\": \"docker.io/istio/tcp-echo-server\"", await File.ReadAllTextAsync(_repo.ConfigPath), StringComparison.Ordinal);
        Assert.NotEqual(config, await File.ReadAllTextAsync(_repo.ConfigPath));
    }

    private static string Decode(string authorization) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
}
