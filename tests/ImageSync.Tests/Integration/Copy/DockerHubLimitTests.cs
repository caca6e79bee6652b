using ImageSync.Tests.Support;
using static ImageSync.Tests.Support.Personality;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// Docker Hub's limits as a first run from GitHub's runners meets them (issue 18 §2), cold and warm: the abuse limit
/// answers a bare 429 (no rate-limit headers, no Retry-After), and its rate-limit headers sometimes come with no count
/// in them (<c>ratelimit-remaining: ;w=21600</c>; docs.docker.com/docker-hub/usage/ describes the headers and the
/// per-address limit of anonymous pulls). Either way the user gets one line naming Docker Hub's limit and the
/// DOCKERHUB_USERNAME/DOCKERHUB_TOKEN remedy, a non-zero exit, and a target that holds what it held.
/// </summary>
public sealed class DockerHubLimitTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static readonly Dictionary<string, string> EmptyCounts = new() { ["ratelimit-limit"] = ";w=21600", ["ratelimit-remaining"] = ";w=21600" };

    /// <summary>The refusal: with no headers at all, or with the headers present and empty.</summary>
    private static Fault Limited(string variant) => variant == "bare"
        ? new Fault.Status(429)
        : new Fault.Respond(context =>
        {
            foreach (var (name, value) in EmptyCounts)
            {
                context.Response.Headers[name] = value;
            }
            context.Response.StatusCode = 429;
            return Task.CompletedTask;
        });

    private string Config() => _world.File($"hub-{Guid.NewGuid():N}.json", $$"""
        { "images": [ { "name": "busybox", "upstream": "docker.io/busybox", "target": "target.test/mirror/busybox", "tags": ["1.36"] } ],
          "registries": { "docker.io": { "url": "{{_world.Proxy.Url}}" } } }
        """);

    private static void AssertOneClearLine(CliRun run)
    {
        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        var lines = run.Out.Split('\n').Where(l => l.StartsWith("error busybox:1.36: ", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("429 Too Many Requests (Docker Hub's limit: a 429 with no count in it is its abuse limit per address, and CI runners share addresses; "
            + "pulled anonymously: set the DOCKERHUB_USERNAME and DOCKERHUB_TOKEN secrets", line, StringComparison.Ordinal);
        // Tried once more at the end of the run (a 429 is transient), and said once: the retry line does not repeat it.
        Assert.Contains("retried busybox:1.36 once more at the end of the run, now error, failing the same way", run.Out, StringComparison.Ordinal);
        Assert.Single(run.Out.Split('\n'), l => l.Contains("DOCKERHUB_USERNAME", StringComparison.Ordinal));
        Assert.DoesNotContain("pull allowance left", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("check credentials", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bare")]
    [InlineData("empty-counts")]
    public async Task A_cold_sync_refused_by_the_limit_says_so_in_one_line_and_writes_nothing(string variant)
    {
        await TestImage.Create("hub-cold-" + variant).PushAsync(_world.Upstream, "library/busybox", "1.36");
        // HEADs pass with the empty headers Docker Hub sends; the manifest GET, which Docker Hub counts, is refused.
        _world.Proxy.Rule = (request, _) => IsManifest(request, "GET") ? Limited(variant)
            : IsManifest(request, "HEAD") ? new Fault.AddHeaders(EmptyCounts) : null;
        var config = Config();
        await _world.Target.ResetLogAsync();

        var status = await _world.RunAsync(config, "Status");
        var cold = await _world.RunAsync(config, "Sync", "--image", "busybox", "--retries", "0");
        var written = (await _world.Target.RequestsAsync()).Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        AssertOneClearLine(cold);
        Assert.Empty(written);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/busybox:1.36"));
    }

    [Theory]
    [InlineData("bare")]
    [InlineData("empty-counts")]
    public async Task A_warm_sync_refused_by_the_limit_says_so_in_one_line_and_leaves_the_target_as_it_was(string variant)
    {
        var first = TestImage.Create("hub-warm-" + variant);
        await first.PushAsync(_world.Upstream, "library/busybox", "1.36");
        var config = Config();
        var cold = await _world.RunAsync(config, "Sync", "--image", "busybox");
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);

        // In sync: even the HEAD is refused (the abuse limit counts every request).
        await _world.Target.ResetLogAsync();
        _world.Proxy.Rule = (request, _) => IsManifest(request, "HEAD") ? Limited(variant) : null;
        var warm = await _world.RunAsync(config, "Sync", "--image", "busybox", "--retries", "0");
        // Moved upstream: the HEAD passes, the GET of the new manifest is refused.
        await TestImage.Create("hub-moved-" + variant).PushAsync(_world.Upstream, "library/busybox", "1.36");
        _world.Proxy.Rule = (request, _) => IsManifest(request, "GET") ? Limited(variant)
            : IsManifest(request, "HEAD") ? new Fault.AddHeaders(EmptyCounts) : null;
        var moved = await _world.RunAsync(config, "Sync", "--image", "busybox", "--retries", "0");
        var written = (await _world.Target.RequestsAsync()).Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE");

        AssertOneClearLine(warm);
        AssertOneClearLine(moved);
        Assert.Empty(written);
        Assert.Equal(first.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/busybox:1.36"));
    }
}
