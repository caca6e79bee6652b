using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Follow;

/// <summary>Discover against a real registry, and AutoSync: AutoUpdate then SyncAll in one run.</summary>
public sealed class DiscoverAndAutoSyncTests : IAsyncLifetime, IDisposable
{
    private SyncWorld _world = null!;
    private GitHubApiServer _github = null!;
    private readonly DownstreamRepo _repo = new();

    public async Task InitializeAsync()
    {
        _world = await SyncWorld.StartAsync();
        _github = await GitHubApiServer.StartAsync("istio", "istio", TestPaths.IstioRefs);
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        await _world.DisposeAsync();
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Discover_lists_upstream_tags_newest_first_and_marks_the_new_ones()
    {
        var image = TestImage.Create("discover", ["linux/amd64"]);
        foreach (var tag in new[] { "1.0", "1.1", "1.2", "1.2-rc.1", "latest" })
        {
            await image.PushAsync(_world.Upstream, "istio/disc", tag);
        }
        await TestImage.Create("sig", index: false).PushAsync(_world.Upstream, "istio/disc", image.Root.Digest.Replace(':', '-') + ".sig");
        var config = _world.Config(("disc", "istio/disc", "mirror/disc", ["1.0", "latest"], ""));
        await _world.Upstream.ResetLogAsync();

        var run = await _world.RunAsync(config, "Discover", "--image", "disc", "--max", "4");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("disc (upstream.test/istio/disc): newest 4 of 5 tags", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"1\.2\s+│\s+│\s+new", run.Out);
        Assert.Matches(@"1\.2-rc\.1\s+│\s+│\s+│", run.Out);
        Assert.Matches(@"1\.1\s+│\s+│\s+new", run.Out);
        Assert.Matches(@"1\.0\s+│\s+yes\s+│", run.Out);
        Assert.DoesNotContain("latest", run.Out.Split("Discover")[0], StringComparison.Ordinal);
        Assert.True(run.Out.IndexOf("1.2 ", StringComparison.Ordinal) < run.Out.IndexOf("1.1 ", StringComparison.Ordinal));
        Assert.All(await _world.Upstream.RequestsAsync(), r => Assert.Equal("GET", r.Method));

        var withCheck = _world.File("check.json", File.ReadAllText(config).Replace("\n  ]\n}", "\n  ],\n  \"check_new_tags\": true\n}", StringComparison.Ordinal));
        var status = await _world.RunAsync(withCheck, "Status");
        Assert.Contains("new upstream tags for disc: 1.2, 1.1", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoSync_pins_the_new_tag_then_copies_it_in_one_run()
    {
        var old = TestImage.Create("tcp-echo-1.2");
        var current = TestImage.Create("tcp-echo-1.3");
        await old.PushAsync(_world.Upstream, "istio/tcp-echo-server", "1.2");
        await current.PushAsync(_world.Upstream, "istio/tcp-echo-server", "1.3");
        _repo.Write("image-sync-config.json", """
            {
              "images": [
                {
                  "name": "examples-tcp-echo-server",
                  "upstream": "docker.io/istio/tcp-echo-server",
                  "target": "quay.io/sail-dev/examples-tcp-echo-server",
                  "tags": ["1.2"],
                  "sample": "samples/tcp-echo/tcp-echo-ipv4.yaml"
                }
              ]
            }
            """);
        _repo.Write("samples/tcp-echo/tcp-echo.yaml", "        image: quay.io/sail-dev/examples-tcp-echo-server:1.2\n");
        _repo.CommitAll("before");

        var run = await CliRunner.RunAsync(
            ["AutoSync", "--config", _repo.ConfigPath, "--samples", _repo.SamplesPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "1.29.0",
             "--registry", $"docker.io={_world.Upstream.Url}", "--registry", $"quay.io={_world.Target.Url}"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root });

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("\"1.3\"", File.ReadAllText(_repo.ConfigPath), StringComparison.Ordinal);
        Assert.Equal("        image: quay.io/sail-dev/examples-tcp-echo-server:1.3\n", File.ReadAllText(Path.Combine(_repo.SamplesPath, "tcp-echo", "tcp-echo.yaml")));
        Assert.Equal(current.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-tcp-echo-server:1.3"));
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-tcp-echo-server:1.2"));
        Assert.Matches(@"AutoSync\s+Succeeded", run.Out);
    }

    [Fact]
    public async Task When_GitHub_is_unreachable_AutoSync_still_copies_every_image_and_exits_1()
    {
        var image = TestImage.Create("outage-1.2");
        await image.PushAsync(_world.Upstream, "istio/tcp-echo-server", "1.2");
        _repo.Write("image-sync-config.json", """
            { "images": [ { "name": "tcp", "upstream": "docker.io/istio/tcp-echo-server", "target": "quay.io/sail-dev/examples-tcp-echo-server", "tags": ["1.2"] } ] }
            """);
        _repo.CommitAll("before");

        // A port this test holds, that drops every connection: a free port alone could be taken by another test's
        // server while the request is retried, and answer.
        using var unreachable = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        unreachable.Start();
        using var stop = new CancellationTokenSource();
        var dropping = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var connection = await unreachable.AcceptSocketAsync(stop.Token);
                connection.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            }
        });
        var port = ((System.Net.IPEndPoint)unreachable.LocalEndpoint).Port;

        var run = await CliRunner.RunAsync(
            ["AutoSync", "--config", _repo.ConfigPath, "--github-api-url", $"http://127.0.0.1:{port}/",
             "--registry", $"docker.io={_world.Upstream.Url}", "--registry", $"quay.io={_world.Target.Url}"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root });

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropping);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot reach the GitHub API", run.Error, StringComparison.Ordinal);
        Assert.Contains("AutoSync: AutoUpdate failed, SyncAll succeeded", run.Out, StringComparison.Ordinal);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-tcp-echo-server:1.2"));
    }
}
