using System.Net;
using System.Net.Sockets;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// Every wait ends: a registry that never answers, a body that stalls or trickles too slowly, a Retry-After far in
/// the future. Each run here must finish on its own; the test's own deadline only turns a hang into a failure.
/// </summary>
public sealed class BoundedWaitTests : IAsyncLifetime
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>The run must end by itself; a hang fails the test instead of stalling the suite.</summary>
    private Task<CliRun> RunAsync(string config, params string[] args) => _world.RunAsync(config, args).WaitAsync(Hang);

    [Fact]
    public async Task A_registry_that_accepts_the_connection_and_never_answers_fails_the_tag()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    held.Add(await silent.AcceptTcpClientAsync());
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        var config = _world.File("silent.json", $$"""
            { "images": [ { "name": "s", "upstream": "silent.test/a/b", "target": "target.test/m/s", "tags": ["1.0"] } ],
              "registries": { "silent.test": { "url": "http://127.0.0.1:{{((IPEndPoint)silent.LocalEndpoint).Port}}" } } }
            """);

        var run = await RunAsync(config, "Status", "--timeout", "1", "--retries", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no answer within 1 s", run.Out, StringComparison.Ordinal);
        foreach (var client in held)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task A_manifest_body_that_stalls_after_a_few_bytes_is_retried_then_fails()
    {
        await TestImage.Create("stall").PushAsync(_world.Upstream, "istio/stall", "1.0");
        var config = _world.Config(("stall", "istio/stall", "mirror/stall", ["1.0"], ""));
        _world.Proxy.Rule = (request, _) => request.Method == "GET" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal)
            ? new Fault.Trickle(FirstBytes: 10, ChunkBytes: 10, Pause: TimeSpan.FromMinutes(10))
            : null;

        var run = await RunAsync(config, "SyncAll", "--timeout", "1", "--retries", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the body was not complete within 1 s", run.Out, StringComparison.Ordinal);
        // Two attempts, and two more when the tag is tried once more at the end of the run.
        Assert.Equal(4, _world.Proxy.Seen.Count(s => s.Method == "GET" && s.Path.Contains("/manifests/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_manifest_body_trickled_a_byte_at_a_time_fails_at_the_whole_body_deadline()
    {
        await TestImage.Create("drip").PushAsync(_world.Upstream, "istio/drip", "1.0");
        var config = _world.Config(("drip", "istio/drip", "mirror/drip", ["1.0"], ""));
        // Each byte comes well within the 2 s timeout; the whole index would take minutes.
        _world.Proxy.Rule = (request, _) => request.Method == "GET" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal)
            ? new Fault.Trickle(FirstBytes: 1, ChunkBytes: 1, Pause: TimeSpan.FromMilliseconds(500))
            : null;

        var run = await RunAsync(config, "SyncAll", "--timeout", "2", "--retries", "0");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the body was not complete within 2 s", run.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/drip:1.0"));
    }

    [Fact]
    public async Task A_slow_but_moving_layer_completes_though_it_takes_longer_than_the_timeout()
    {
        var image = TestImage.Create("slow", ["linux/amd64"], [96 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/slow", "1.0");
        var config = _world.Config(("slow", "istio/slow", "mirror/slow", ["1.0"], ""));
        var layer = image.Blobs.Single(b => b.Content.Length == 96 * 1024).Digest;
        // 12 pauses of 0.4 s: about 5 s for a body whose every gap is well under the 2 s timeout.
        _world.Proxy.Rule = (request, _) => request.Method == "GET" && request.Path.Value!.EndsWith(layer, StringComparison.Ordinal)
            ? new Fault.Trickle(FirstBytes: 1024, ChunkBytes: 8 * 1024, Pause: TimeSpan.FromMilliseconds(400))
            : null;

        var run = await RunAsync(config, "SyncAll", "--timeout", "2", "--retries", "0");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/slow:1.0"));
        Assert.Single(_world.Proxy.Seen, s => s.Path.EndsWith(layer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_layer_trickling_slower_than_the_timeout_resumes_then_fails_with_the_reason()
    {
        var image = TestImage.Create("trickle", ["linux/amd64"], [64 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/trickle", "1.0");
        var config = _world.Config(("trickle", "istio/trickle", "mirror/trickle", ["1.0"], ""));
        var layer = image.Blobs.Single(b => b.Content.Length == 64 * 1024).Digest;
        _world.Proxy.Rule = (request, _) => request.Method == "GET" && request.Path.Value!.EndsWith(layer, StringComparison.Ordinal)
            ? new Fault.Trickle(FirstBytes: 100, ChunkBytes: 1, Pause: TimeSpan.FromSeconds(3))
            : null;

        var run = await RunAsync(config, "SyncAll", "--timeout", "1", "--retries", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Out.Contains("no data for 1 s", StringComparison.Ordinal), run.Out);
        Assert.Contains(_world.Proxy.Seen, s => s.Path.EndsWith(layer, StringComparison.Ordinal) && s.Range is { Length: > 0 });
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/trickle:1.0"));
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_fails_at_once_and_says_when_to_come_back()
    {
        await TestImage.Create("later").PushAsync(_world.Upstream, "istio/later", "1.0");
        var config = _world.Config(("later", "istio/later", "mirror/later", ["1.0"], ""));
        _world.Proxy.Rule = (request, _) => request.Method == "HEAD" && request.Path.Value!.EndsWith("/manifests/1.0", StringComparison.Ordinal) ? new Fault.Status(429, "3600") : null;

        var run = await RunAsync(config, "Status");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("come back in 3600 s", run.Out, StringComparison.Ordinal);
        Assert.Single(_world.Proxy.Seen, s => s.Method == "HEAD" && s.Path.EndsWith("/manifests/1.0", StringComparison.Ordinal));
    }
}
