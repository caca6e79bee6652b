using System.Text.Json;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// A flaky registry does not fail the night (issue 18 §3): a host that answers 5xx to half its requests is slowed
/// down for the rest of the run, and a tag that failed only on transient errors is tried once more at the end.
/// </summary>
public sealed class FlakyRegistryTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_sync_all_through_a_proxy_that_answers_503_to_every_second_request_completes()
    {
        string[] names = ["pilot", "proxyv2", "ztunnel", "install-cni"];
        var images = new Dictionary<string, TestImage>();
        foreach (var name in names)
        {
            foreach (var tag in new[] { "1.0", "1.1" })
            {
                var image = TestImage.Create($"flaky-{name}-{tag}", ["linux/amd64", "linux/arm64"]);
                await image.PushAsync(_world.Upstream, $"istio/{name}", tag);
                images[$"{name}:{tag}"] = image;
            }
        }
        var config = _world.Config([.. names.Select(n => (n, $"istio/{n}", $"mirror/{n}", new[] { "1.0", "1.1" }, ""))]);
        var requests = 0;
        _world.Proxy.Rule = (_, _) => Interlocked.Increment(ref requests) % 2 == 0 ? new Fault.Status(503) : null;
        var report = _world.File("report.json", "");

        var cold = await _world.RunAsync(config, "SyncAll", "--report", report, "--debug");
        _world.Proxy.Rule = (_, _) => null;
        var warm = await _world.RunAsync(config, "SyncAll");

        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        foreach (var (name, image) in images)
        {
            Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/{name}"));
        }
        Assert.Contains(_world.Proxy.Seen, s => s.Status == 503);
        Assert.Contains("answered 5xx to half of its last 16 requests or more: at most", cold.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(8, results.Length);
        Assert.All(results, r => Assert.Equal("copied", r.GetProperty("action").GetString()));
        // What was retried is said in the table and the report, with the first attempt's error.
        foreach (var retried in results.Where(r => r.TryGetProperty("retriedAfter", out _)))
        {
            Assert.Contains("503", retried.GetProperty("retriedAfter").GetString(), StringComparison.Ordinal);
            Assert.Contains($"retried {retried.GetProperty("image").GetString()}:{retried.GetProperty("tag").GetString()} once more at the end of the run, now copied", cold.Out, StringComparison.Ordinal);
        }
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Contains("8 in-sync", warm.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_that_failed_only_on_a_transient_error_is_tried_once_more_at_the_end_and_a_refusal_is_not()
    {
        var image = TestImage.Create("again");
        await image.PushAsync(_world.Upstream, "istio/again", "1.0");
        await image.PushAsync(_world.Upstream, "istio/refused", "1.0");
        var config = _world.Config(("again", "istio/again", "mirror/again", ["1.0"], ""), ("refused", "istio/refused", "mirror/refused", ["1.0"], ""));
        _world.Proxy.Rule = (request, count) =>
            request.Method == "HEAD" && request.Path.Value == "/v2/istio/again/manifests/1.0" && count == 0 ? new Fault.Status(503)
            : request.Method == "HEAD" && request.Path.Value == "/v2/istio/refused/manifests/1.0" ? new Fault.Status(403)
            : null;
        var report = _world.File("report.json", "");

        var run = await _world.RunAsync(config, "SyncAll", "--retries", "0", "--report", report);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/again:1.0"));
        Assert.Contains("retried again:1.0 once more at the end of the run, now copied; the first attempt failed on a transient error: HEAD upstream.test/istio/again:1.0: 503 Service Unavailable", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("retried refused", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, _world.Proxy.Seen.Count(s => s.Method == "HEAD" && s.Path == "/v2/istio/again/manifests/1.0"));
        Assert.Single(_world.Proxy.Seen, s => s.Method == "HEAD" && s.Path == "/v2/istio/refused/manifests/1.0");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal("copied", results[0].GetProperty("action").GetString());
        Assert.StartsWith("HEAD upstream.test/istio/again:1.0: 503", results[0].GetProperty("retriedAfter").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", results[1].GetProperty("action").GetString());
        Assert.False(results[1].TryGetProperty("retriedAfter", out _));
    }
}
