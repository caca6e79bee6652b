using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>Retries, Retry-After, resumed downloads and failing closed, through a proxy that injects faults.</summary>
public sealed class FaultIntegrationTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<CliRun> RunThroughProxyAsync(string config, params string[] args) => _world.RunAsync(config, args);

    [Fact]
    public async Task Retries_503_and_429_honouring_retry_after_then_copies()
    {
        var image = TestImage.Create("retry");
        await image.PushAsync(_world.Upstream, "istio/retry", "1.0");
        var config = _world.Config(("retry", "istio/retry", "mirror/retry", ["1.0"], ""));
        var blob = image.Blobs[1].Digest;
        _world.Proxy.Rule = (request, count) =>
            request.Method == "HEAD" && request.Path.Value!.EndsWith("/manifests/1.0", StringComparison.Ordinal) && count < 2 ? new Fault.Status(503)
            : request.Method == "GET" && request.Path.Value!.EndsWith(blob, StringComparison.Ordinal) && count == 0 ? new Fault.Status(429, "1")
            : null;

        var run = await RunThroughProxyAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/retry:1.0"));
        var seen = _world.Proxy.Seen.ToArray();
        Assert.Equal([503, 503, 200], seen.Where(s => s.Method == "HEAD" && s.Path.EndsWith("/manifests/1.0", StringComparison.Ordinal)).Select(s => s.Status));
        Assert.Equal([429, 200], seen.Where(s => s.Method == "GET" && s.Path.EndsWith(blob, StringComparison.Ordinal)).Select(s => s.Status));
    }

    [Fact]
    public async Task A_download_cut_in_the_middle_resumes_with_a_range_request()
    {
        var image = TestImage.Create("resume", ["linux/amd64"], [2 * 1024 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/resume", "1.0");
        var config = _world.Config(("resume", "istio/resume", "mirror/resume", ["1.0"], ""));
        var layer = image.Blobs.Single(b => b.Content.Length == 2 * 1024 * 1024).Digest;
        _world.Proxy.Rule = (request, count) =>
            request.Method == "GET" && request.Path.Value!.EndsWith(layer, StringComparison.Ordinal) && count == 0 ? new Fault.CutAfter(700_000) : null;

        var run = await RunThroughProxyAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/resume:1.0"));
        var gets = _world.Proxy.Seen.Where(s => s.Method == "GET" && s.Path.EndsWith(layer, StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, gets.Length);
        Assert.Matches(@"^bytes=[1-9][0-9]*-$", gets[1].Range);
    }

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_digest_is_refused_while_streaming_and_no_tag_is_written()
    {
        var image = TestImage.Create("corrupt", ["linux/amd64"], [512 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/corrupt", "1.0");
        var config = _world.Config(("corrupt", "istio/corrupt", "mirror/corrupt", ["1.0"], ""));
        var layer = image.Blobs.Single(b => b.Content.Length == 512 * 1024);
        _world.Proxy.Rule = (request, _) =>
            request.Method == "GET" && request.Path.Value!.EndsWith(layer.Digest, StringComparison.Ordinal) ? new Fault.Corrupt(1000) : null;

        var run = await RunThroughProxyAsync(config, "SyncAll");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"digest mismatch: expected {layer.Digest}", run.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/corrupt:1.0"));
        using var http = new HttpClient();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(_world.Target.Url, $"v2/mirror/corrupt/blobs/{layer.Digest}")));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_registry_that_refuses_one_large_put_gets_the_blob_in_chunks()
    {
        await using var targetProxy = await FaultProxy.StartAsync(_world.Target.Url, forwardHost: true);
        var image = TestImage.Create("chunked", ["linux/amd64"], [12 * 1024 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/chunked", "1.0");
        var config = _world.Config(("chunked", "istio/chunked", "mirror/chunked", ["1.0"], ""));
        targetProxy.Rule = (request, _) =>
            request.Method == "PUT" && request.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal) && request.ContentLength > 10 * 1024 * 1024 ? new Fault.Status(413) : null;

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, "--registry", $"upstream.test={_world.Upstream.Url}", "--registry", $"target.test={targetProxy.Url}"],
            new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() });

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/chunked:1.0"));
        var patches = targetProxy.Seen.Where(s => s.Method == "PATCH").ToList();
        // 12 MiB: one 8 MiB PATCH, and the last 4 MiB in the closing PUT.
        Assert.Single(patches);
        Assert.All(patches, p => Assert.Equal(202, p.Status));
    }

    [Fact]
    public async Task Cancelling_in_the_middle_of_a_copy_leaves_no_tag_behind()
    {
        var image = TestImage.Create("cancel", ["linux/amd64", "linux/arm64"], [1024 * 1024, 1024 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/cancel", "1.0");
        var config = _world.Config(("cancel", "istio/cancel", "mirror/cancel", ["1.0"], ""));
        using var ctrlC = new CancellationTokenSource();
        _world.Proxy.Rule = (request, _) =>
        {
            if (request.Method == "GET" && request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal))
            {
                ctrlC.Cancel();
            }
            return null;
        };

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, "--registry", $"upstream.test={_world.Proxy.Url}", "--registry", $"target.test={_world.Target.Url}"],
            new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() }, cancellationToken: ctrlC.Token);

        // 128 + SIGINT, as a shell reports Ctrl-C; and the run says what it left undone.
        Assert.Equal(130, run.ExitCode);
        Assert.Contains("SyncAll: cancelled", run.Error, StringComparison.Ordinal);
        Assert.Contains("interrupted: 0 of 1 tag done; 1 left undone (stopped while working on cancel:1.0; their tags were not written)", run.Error, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/cancel:1.0"));
        Assert.DoesNotContain(await _world.Target.RequestsAsync(), r => r.Method == "PUT" && r.Path.EndsWith("/manifests/1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_persistent_server_error_upstream_is_an_error_and_nothing_is_written()
    {
        var image = TestImage.Create("broken");
        await image.PushAsync(_world.Upstream, "istio/broken", "1.0");
        var config = _world.Config(("broken", "istio/broken", "mirror/broken", ["1.0"], ""));
        _world.Proxy.Rule = (request, _) => request.Method == "HEAD" ? new Fault.Status(500) : null;
        await _world.Target.ResetLogAsync();

        var run = await RunThroughProxyAsync(config, "SyncAll", "--retries", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("500", run.Out, StringComparison.Ordinal);
        // Two attempts, and two more when the tag is tried once more at the end of the run: still an error.
        Assert.Equal(4, _world.Proxy.Seen.Count(s => s.Method == "HEAD"));
        Assert.Contains("retried broken:1.0 once more at the end of the run, now error", run.Out, StringComparison.Ordinal);
        // The target's tag is asked at the same time as upstream's (issue 21): read, never written.
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task A_registry_that_answers_429_gets_fewer_requests_at_once_for_the_rest_of_the_run()
    {
        var image = TestImage.Create("slowdown");
        await image.PushAsync(_world.Upstream, "istio/slowdown", "1.0");
        var config = _world.Config(("slowdown", "istio/slowdown", "mirror/slowdown", ["1.0"], ""));
        _world.Proxy.Rule = (request, count) =>
            request.Method == "HEAD" && request.Path.Value!.EndsWith("/manifests/1.0", StringComparison.Ordinal) && count < 2 ? new Fault.Status(429, "0") : null;

        var run = await RunThroughProxyAsync(config, "SyncAll", "--debug");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains($"debug: {_world.Proxy.Url.Authority} answered 429: at most 32 requests at once to it for the rest of the run", run.Error, StringComparison.Ordinal);
        Assert.Contains($"debug: {_world.Proxy.Url.Authority} answered 429: at most 16 requests at once to it for the rest of the run", run.Error, StringComparison.Ordinal);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/slowdown:1.0"));
    }
}
