using System.Text;
using ImageSync.Tests.Support;
using LibGit2Sharp;

namespace ImageSync.Tests.Integration.Follow;

/// <summary>
/// AutoUpdate end to end: Octokit against a GitHub API on loopback serving real Istio samples at real releases,
/// a real git repository with a local origin, and the downstream files compared byte for byte.
/// </summary>
public sealed class AutoUpdateTests : IAsyncLifetime, IDisposable
{
    private const string Token = "ghp_testtoken0123456789abcdef";
    private GitHubApiServer _github = null!;
    private readonly DownstreamRepo _repo = new();

    public async Task InitializeAsync() => _github = await GitHubApiServer.StartAsync("istio", "istio", TestPaths.IstioRefs);

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _repo.Dispose();

    /// <summary>The downstream repository as it was when Istio 1.21.0 was current.</summary>
    private void Seed121()
    {
        _repo.Write("image-sync-config.json", """
            {
              "$schema": "./image-sync-config.schema.json",
              "images": [
                {
                  "name": "examples-helloworld-v1",
                  "upstream": "docker.io/istio/examples-helloworld-v1",
                  "target": "quay.io/sail-dev/examples-helloworld-v1",
                  "tags": [
                    "latest"
                  ],
                  "sample": "samples/helloworld/helloworld.yaml"
                },
                {
                  "name": "examples-helloworld-v2",
                  "upstream": "docker.io/istio/examples-helloworld-v2",
                  "target": "quay.io/sail-dev/examples-helloworld-v2",
                  "tags": [
                    "latest"
                  ],
                  "sample": "samples/helloworld/helloworld.yaml"
                },
                {
                  "name": "examples-httpbin",
                  "upstream": "docker.io/kong/httpbin",
                  "target": "quay.io/sail-dev/examples-httpbin",
                  "tags": [
                    "latest"
                  ],
                  "sample": "samples/httpbin/httpbin.yaml"
                },
                {
                  "name": "examples-tcp-echo-server",
                  "upstream": "docker.io/istio/tcp-echo-server",
                  "target": "quay.io/sail-dev/examples-tcp-echo-server",
                  "tags": [
                    "1.2",
                    "latest"
                  ],
                  "sample": "samples/tcp-echo/tcp-echo-ipv4.yaml"
                }
              ],
              "check_new_tags": false
            }

            """);
        TestPaths.CopyDirectory(Path.Combine(TestPaths.SailOperator, "samples"), _repo.SamplesPath);
        Edit("samples/helloworld/helloworld.yaml", "examples-helloworld-v1:1.0", "examples-helloworld-v1");
        Edit("samples/helloworld/helloworld.yaml", "examples-helloworld-v2:1.0", "examples-helloworld-v2");
        Edit("samples/httpbin/httpbin.yaml", "examples-httpbin:v2.15.0", "examples-httpbin");
        foreach (var file in new[] { "tcp-echo-ipv4.yaml", "tcp-echo-ipv6.yaml", "tcp-echo-dual-stack.yaml" })
        {
            Edit($"samples/tcp-echo/{file}", "examples-tcp-echo-server:1.3", "examples-tcp-echo-server:1.2");
        }
        _repo.CommitAll("downstream at istio 1.21.0");
    }

    private void Edit(string relativePath, string from, string to)
    {
        var path = Path.Combine(_repo.Path, relativePath);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    private Task<CliRun> AutoUpdateAsync(string reference, params string[] extra) =>
        CliRunner.RunAsync(
            ["AutoUpdate", "--config", _repo.ConfigPath, "--samples", _repo.SamplesPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", reference, "--git-author", "Sync Bot <bot@example.com>", .. extra],
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token, ["GITHUB_REPOSITORY"] = "istio-ecosystem/sail-operator", ["HOME"] = _repo.Root });

    [Fact]
    public async Task From_istio_1_21_to_1_29_tags_are_gained_bumped_and_a_renamed_repository_followed_byte_for_byte()
    {
        Seed121();

        var run = await AutoUpdateAsync("1.29.0", "--follow-moves", "--commit", "--pull-request");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        // The rewritten samples are exactly what sail-operator committed by hand for 1.29.0.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.SailOperator, "samples"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(TestPaths.SailOperator, file);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_repo.Path, relative))), $"{relative} differs from sail-operator's");
        }
        Golden.AssertMatches(TestPaths.Golden("autoupdate-1.21.0-to-1.29.0.json"), File.ReadAllText(_repo.ConfigPath));
        Assert.Matches(@"examples-tcp-echo-server\s+│\s+1\.2\s+│\s+1\.3\s+│\s+docker\.io/istio/tcp-echo-server:1\.3 \(samples/tcp-echo/tcp-echo-ipv4\.yaml:56\)\s+│\s+3", run.Out);
        Assert.Contains("note: examples-httpbin: moved: upstream now uses docker.io/mccutchen/go-httpbin (configured: docker.io/kong/httpbin)", run.Out, StringComparison.Ordinal);

        using (var repo = _repo.Open())
        {
            Assert.Equal("image-sync/update-tags", repo.Head.FriendlyName);
            var commit = repo.Head.Tip;
            Assert.Equal("Sync Bot", commit.Author.Name);
            Assert.Single(commit.Parents);
            Assert.Equal(repo.Branches["main"].Tip.Sha, commit.Parents.Single().Sha);
            var changed = repo.Diff.Compare<TreeChanges>(commit.Parents.Single().Tree, commit.Tree).Select(c => c.Path).Order().ToList();
            Assert.Equal([
                "image-sync-config.json",
                "samples/helloworld/helloworld.yaml",
                "samples/httpbin/httpbin.yaml",
                "samples/tcp-echo/tcp-echo-dual-stack.yaml",
                "samples/tcp-echo/tcp-echo-ipv4.yaml",
                "samples/tcp-echo/tcp-echo-ipv6.yaml"], changed);
            Assert.Contains("- examples-tcp-echo-server: 1.2 -> 1.3 (samples/tcp-echo/tcp-echo-ipv4.yaml:56)", commit.Message, StringComparison.Ordinal);
            Assert.Contains("- examples-helloworld-v1: (none) -> 1.0", commit.Message, StringComparison.Ordinal);
            Assert.True(repo.RetrieveStatus().IsDirty is false);
        }
        using (var origin = _repo.OpenOrigin())
        {
            Assert.NotNull(origin.Branches["image-sync/update-tags"]);
        }
        var pr = Assert.Single(_github.PullRequests);
        Assert.Equal("Update 4 images to upstream's tags", pr["title"]!.GetValue<string>());
        Assert.Equal("main", pr["base"]!["ref"]!.GetValue<string>());
        Assert.Contains("http://127.0.0.1", pr["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("samples/tcp-echo/tcp-echo-ipv4.yaml#L56", pr["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(_github.Authorizations, a => Assert.Equal($"Token {Token}", a));
        Assert.DoesNotContain(Token, run.Out + run.Error, StringComparison.Ordinal);

        // Run again: everything is already pinned; no commit, no push, no pull request.
        var callsBefore = _github.Calls.Count(c => !c.StartsWith("GET", StringComparison.Ordinal));
        var head = _repo.Open().Head.Tip.Sha;
        var again = await AutoUpdateAsync("1.29.0", "--follow-moves", "--commit", "--pull-request");
        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.Contains("Nothing to update", again.Out, StringComparison.Ordinal);
        Assert.Equal(head, _repo.Open().Head.Tip.Sha);
        Assert.Equal(callsBefore, _github.Calls.Count(c => !c.StartsWith("GET", StringComparison.Ordinal)));
        Assert.Single(_github.PullRequests);
    }

    [Fact]
    public async Task Without_git_author_the_commit_is_signed_as_the_users_global_git_config_says()
    {
        Seed121();
        // ~/.gitconfig, as `git config --global user.name` writes it; HOME is the test's own folder.
        File.WriteAllText(Path.Combine(_repo.Root, ".gitconfig"), "[user]\n\tname = Global Maintainer\n\temail = global@example.com\n");

        var run = await CliRunner.RunAsync(
            ["AutoUpdate", "--config", _repo.ConfigPath, "--samples", _repo.SamplesPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "1.29.0", "--commit"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root });

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var repo = _repo.Open();
        Assert.Equal("Global Maintainer <global@example.com>", $"{repo.Head.Tip.Author.Name} <{repo.Head.Tip.Author.Email}>");
        Assert.EndsWith("\n", repo.Head.Tip.Message, StringComparison.Ordinal);
        Assert.StartsWith("Update 4 images to upstream's tags\n\nTags as istio/istio@1.29.0", repo.Head.Tip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_that_does_not_let_actions_open_pull_requests_gets_the_setting_named_and_exit_1()
    {
        Seed121();
        _github.PullRequestsForbidden = true;

        var run = await AutoUpdateAsync("1.29.0", "--commit", "--pull-request");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: pull request on istio-ecosystem/sail-operator: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("GitHub Actions is not permitted to create or approve pull requests.", run.Error, StringComparison.Ordinal);
        Assert.Contains("\"Allow GitHub Actions to create and approve pull requests\", and give the job permissions: pull-requests: write", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Out + run.Error, StringComparison.Ordinal);
        Assert.Empty(_github.PullRequests);
    }

    [Fact]
    public async Task A_second_run_from_main_updates_the_open_pull_request_instead_of_opening_another()
    {
        Seed121();
        Assert.Equal(0, (await AutoUpdateAsync("1.29.0", "--pull-request")).ExitCode);
        _repo.Checkout("main");

        var run = await AutoUpdateAsync("1.29.0", "--pull-request");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("updated pull request #1", run.Out, StringComparison.Ordinal);
        Assert.Single(_github.PullRequests);
        Assert.Contains(_github.Calls, c => c.StartsWith("PATCH /api/v3/repos/istio-ecosystem/sail-operator/pulls/1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task From_1_29_to_master_the_move_to_registry_istio_io_is_reported_and_followed_on_request()
    {
        // The shipped config; check_new_tags would ask Docker Hub for tag lists, and tests stay on loopback.
        var shipped = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "image-sync-config.json"));
        _repo.Write("image-sync-config.json", shipped.Replace("\"check_new_tags\": true", "\"check_new_tags\": false", StringComparison.Ordinal));
        TestPaths.CopyDirectory(Path.Combine(TestPaths.SailOperator, "samples"), _repo.SamplesPath);
        _repo.CommitAll("downstream at istio 1.29.0");

        var report = await AutoUpdateAsync("master");
        Assert.True(report.ExitCode == 0, report.Out + report.Error);
        Assert.Contains("note: examples-helloworld-v1: moved: upstream now uses registry.istio.io/release/examples-helloworld-v1 (configured: docker.io/istio/examples-helloworld-v1)", report.Out, StringComparison.Ordinal);
        Assert.Contains("note: examples-tcp-echo-server: moved: upstream now uses registry.istio.io/release/tcp-echo-server", report.Out, StringComparison.Ordinal);
        Assert.Contains("note: ambient-argo/tag-chart/templates/mutatingwebhooks.yaml", report.Out.Replace("samples/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Nothing to update", report.Out, StringComparison.Ordinal);

        var follow = await AutoUpdateAsync("master", "--follow-moves");

        Assert.True(follow.ExitCode == 0, follow.Out + follow.Error);
        Golden.AssertMatches(TestPaths.Golden("autoupdate-1.29.0-to-master-follow-moves.json"), File.ReadAllText(_repo.ConfigPath));
        using var repo = _repo.Open();
        Assert.Equal(["image-sync-config.json"], repo.RetrieveStatus().Modified.Select(m => m.FilePath));
    }

    [Fact]
    public async Task Dry_run_prints_the_diff_and_writes_nothing()
    {
        Seed121();
        var before = File.ReadAllBytes(_repo.ConfigPath);

        var run = await AutoUpdateAsync("1.29.0", "--dry-run", "--commit");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("-quay.io/sail-dev/examples-tcp-echo-server:1.2".Replace("-quay", "-        image: quay", StringComparison.Ordinal), run.Out, StringComparison.Ordinal);
        Assert.Contains("+        image: quay.io/sail-dev/examples-tcp-echo-server:1.3", run.Out, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_repo.ConfigPath));
        using var repo = _repo.Open();
        Assert.False(repo.RetrieveStatus().IsDirty);
        Assert.Null(repo.Branches["image-sync/update-tags"]);
    }

    [Fact]
    public async Task Three_hundred_sample_files_cost_one_api_request_anonymously_and_five_with_a_pull_request()
    {
        Seed121();
        // Istio's samples at 1.29.0, and 300 more YAML files beside them, as the real samples/ folder has hundreds.
        var big = Directory.CreateTempSubdirectory("imagesync-big-ref-").FullName;
        TestPaths.CopyDirectory(TestPaths.IstioRelease("1.29.0"), big);
        Directory.CreateDirectory(Path.Combine(big, "samples", "extra"));
        for (var i = 0; i < 300; i++)
        {
            File.WriteAllText(Path.Combine(big, "samples", "extra", $"app-{i}.yaml"), $"kind: Pod\nspec:\n  containers:\n  - image: docker.io/other/app-{i}:1.{i}\n");
        }
        await using var github = await GitHubApiServer.StartAsync("istio", "istio", new Dictionary<string, string> { ["big"] = big });
        string[] args = ["AutoUpdate", "--config", _repo.ConfigPath, "--samples", _repo.SamplesPath, "--github-api-url", github.Url.ToString(), "--upstream-ref", "big"];

        var anonymous = await CliRunner.RunAsync([.. args, "--dry-run"], new Dictionary<string, string> { ["HOME"] = _repo.Root });
        var anonymousCalls = github.Calls.Count(c => c.Contains("/api/v3/", StringComparison.Ordinal));
        var withPullRequest = await CliRunner.RunAsync([.. args, "--pull-request", "--git-author", "Sync Bot <bot@example.com>"],
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token, ["GITHUB_REPOSITORY"] = "istio-ecosystem/sail-operator", ["HOME"] = _repo.Root });

        Assert.True(anonymous.ExitCode == 0, anonymous.Out + anonymous.Error);
        Assert.Contains($"{Directory.EnumerateFiles(big, "*.yaml", SearchOption.AllDirectories).Count()} upstream files read", anonymous.Out, StringComparison.Ordinal);
        Assert.Equal(1, anonymousCalls);
        Assert.True(withPullRequest.ExitCode == 0, withPullRequest.Out + withPullRequest.Error);
        Assert.Single(github.PullRequests);
        var apiCalls = github.Calls.Count(c => c.Contains("/api/v3/", StringComparison.Ordinal)) - anonymousCalls;
        Assert.True(apiCalls <= 5, $"{apiCalls} API requests: {string.Join(", ", github.Calls)}");
        // The archive is fetched from another host after a redirect: the token does not go with it.
        Assert.All(github.DownloadAuthorizations, Assert.Null);
        Directory.Delete(big, recursive: true);
    }

    [Fact]
    public async Task A_used_up_rate_limit_says_when_it_resets_and_that_a_token_raises_it_and_a_secondary_limit_is_waited_out()
    {
        Seed121();
        _github.RateLimited = true;
        var limited = await CliRunner.RunAsync(["AutoUpdate", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "1.29.0", "--dry-run"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root });
        _github.RateLimited = false;
        _github.SecondaryLimitSeconds = 1;
        var waited = await CliRunner.RunAsync(["AutoUpdate", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "1.29.0", "--dry-run"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root });

        Assert.Equal(1, limited.ExitCode);
        Assert.Contains("GitHub's API rate limit (60 an hour) is used up; it resets at 2030-03-17 17:46 UTC (anonymous callers get 60 requests an hour; set GITHUB_TOKEN for 5,000)", limited.Error, StringComparison.Ordinal);
        Assert.True(waited.ExitCode == 0, waited.Out + waited.Error);
        Assert.Equal(2, _github.Calls.Count(c => c.Contains("/tarball/1.29.0", StringComparison.Ordinal)) - 1);
    }

    [Fact]
    public async Task An_unknown_ref_is_one_clear_error()
    {
        Seed121();
        var run = await AutoUpdateAsync("9.9.9");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: istio/istio@9.9.9: no such repository or ref on GitHub", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_fork_as_origin_the_pull_request_proposes_the_forks_branch_and_a_second_run_updates_it()
    {
        var pulls = new ImageSync.Git.PullRequests(ImageSync.Upstream.GitHubTransport.CreateClient(_github.Url, Token, new ImageSync.Registry.Http.TransportSettings()));

        var first = await pulls.OpenOrUpdateAsync("istio-ecosystem/sail-operator", "my-fork", "image-sync/update-tags", "main", "Update", "body", default);
        var second = await pulls.OpenOrUpdateAsync("istio-ecosystem/sail-operator", "my-fork", "image-sync/update-tags", "main", "Update again", "body", default);

        Assert.True(first.Created);
        Assert.False(second.Created);
        var pr = Assert.Single(_github.PullRequests);
        Assert.Equal("my-fork:image-sync/update-tags", pr["head"]!["label"]!.GetValue<string>());
        Assert.Equal("Update again", pr["title"]!.GetValue<string>());
    }
}
