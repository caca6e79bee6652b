using System.Text.Json;
using ImageSync.Tests.Support;
using static ImageSync.Tests.Support.TestReferrer;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// <c>signatures: "follow"</c> (issue 19 §1): a signature or referrer attached upstream after a tag was mirrored
/// reaches the target, the plan and the report say what was added, and the requests are counted in the registries'
/// access logs: the default stays two HEADs per in-sync tag.
/// </summary>
public sealed class FollowSignaturesTests : IAsyncLifetime
{
    private const string Bundle = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_signature_and_a_referrer_added_upstream_later_reach_the_target_with_follow_and_the_default_stays_two_heads_per_tag()
    {
        var one = TestImage.Create("follow-1", ["linux/amd64"], index: false);
        var two = TestImage.Create("follow-2", ["linux/amd64"], index: false);
        await one.PushAsync(_world.Upstream, "istio/follow", "1.0");
        await two.PushAsync(_world.Upstream, "istio/follow", "1.1");
        var copy = _world.Config(("follow", "istio/follow", "mirror/follow", ["1.0", "1.1"], ""));
        var follow = _world.Config(("follow", "istio/follow", "mirror/follow", ["1.0", "1.1"], "\"signatures\": \"follow\""));
        Assert.Equal(0, (await _world.RunAsync(copy, "SyncAll")).ExitCode);
        string[] tagHeads = ["HEAD /v2/istio/follow/manifests/1.0", "HEAD /v2/istio/follow/manifests/1.1"];
        string[] targetHeads = ["HEAD /v2/mirror/follow/manifests/1.0", "HEAD /v2/mirror/follow/manifests/1.1"];

        // Nothing attached yet. The default: two HEADs per in-sync tag. follow: one tag list for the repository and
        // one referrers request for the registry (404: no API) on top, whatever the number of tags; nothing on the target.
        var (upstream, target) = await CountAsync(copy);
        Assert.Equal(tagHeads, upstream);
        Assert.Equal(targetHeads, target);
        (upstream, target) = await CountAsync(follow);
        Assert.Equal(Sorted(tagHeads, "GET /v2/istio/follow/referrers/*", "GET /v2/istio/follow/tags/list?n=1000"), upstream);
        Assert.Equal(targetHeads, target);

        // Attached upstream after the mirror: a cosign v2 signature on 1.0, an OCI referrer (fallback tag) on 1.1.
        var signature = TestImage.Create("follow-signature", ["linux/amd64"], [64], index: false);
        var signatureTag = FallbackTag(one.Root.Digest) + ".sig";
        await signature.PushAsync(_world.Upstream, "istio/follow", signatureTag);
        var bundle = TestReferrer.Create(two.Root, Bundle, "follow-bundle");
        await TestReferrer.PushAsync(_world.Upstream.Url, "istio/follow", two.Root, fallbackTag: true, (bundle, Bundle));

        // The default does not look: still two HEADs per tag, nothing copied.
        (upstream, target) = await CountAsync(copy);
        Assert.Equal(tagHeads, upstream);
        Assert.Equal(targetHeads, target);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/follow:{signatureTag}"));

        // The plan says what would be added, and writes nothing.
        await _world.Target.ResetLogAsync();
        var plan = await _world.RunAsync(follow, "DryRun");
        Assert.True(plan.ExitCode == 0, plan.Out + plan.Error);
        Assert.Contains($"note follow:1.0: would be added: signature {signatureTag}", plan.Out, StringComparison.Ordinal);
        Assert.Contains($"note follow:1.1: would be added: referrer {bundle.Root.Digest} ({Bundle}) of {two.Root.Digest}", plan.Out, StringComparison.Ordinal);
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Contains(r.Method, new[] { "GET", "HEAD" }));

        var report = _world.File("follow.json", "");
        var sync = await _world.RunAsync(follow, "SyncAll", "--report", report);

        Assert.True(sync.ExitCode == 0, sync.Out + sync.Error);
        Assert.Matches(@"2 tags: 2 in-sync", sync.Out);
        Assert.Equal(signature.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/follow:{signatureTag}"));
        Assert.Equal(bundle.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/follow@{bundle.Root.Digest}"));
        Assert.Equal(FallbackIndex((bundle.Root, Bundle)).Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/follow:{FallbackTag(two.Root.Digest)}"));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var notes = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.TryGetProperty("notes", out var n) ? string.Join("; ", n.EnumerateArray().Select(x => x.GetString())) : "").ToList();
            Assert.Equal([$"added signature {signatureTag}", $"added referrer {bundle.Root.Digest} ({Bundle}) of {two.Root.Digest}"], notes);
        }

        // In sync again, attachments included: per in-sync tag, one request upstream and one on the target for each
        // artifact attached (1.0's .sig HEAD on both sides, 1.1's fallback index GET on both), plus the target's
        // referrers request (404) once per registry.
        (upstream, target) = await CountAsync(follow);
        Assert.Equal(Sorted(tagHeads, $"GET /v2/istio/follow/manifests/{FallbackTag(two.Root.Digest)}", "GET /v2/istio/follow/referrers/*", "GET /v2/istio/follow/tags/list?n=1000", $"HEAD /v2/istio/follow/manifests/{signatureTag}"), upstream);
        Assert.Equal(Sorted(targetHeads, $"GET /v2/mirror/follow/manifests/{FallbackTag(two.Root.Digest)}", "GET /v2/mirror/follow/referrers/*", $"HEAD /v2/mirror/follow/manifests/{signatureTag}"), target);
    }

    private static List<string> Sorted(string[] heads, params string[] more) => [.. heads.Concat(more).Order(StringComparer.Ordinal)];

    /// <summary>A warm run's requests on each side, as "METHOD path" in order, a referrers digest written as *.</summary>
    private async Task<(List<string> Upstream, List<string> Target)> CountAsync(string config)
    {
        await _world.Upstream.ResetLogAsync();
        await _world.Target.ResetLogAsync();
        var run = await _world.RunAsync(config, "SyncAll");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Matches(@"2 tags: 2 in-sync", run.Out);
        static List<string> Lines(IEnumerable<(string Method, string Path, int Status)> requests) =>
            [.. requests.Select(r => $"{r.Method} {(r.Path.Contains("/referrers/", StringComparison.Ordinal) ? r.Path[..(r.Path.IndexOf("/referrers/", StringComparison.Ordinal) + "/referrers/".Length)] + "*" : r.Path)}").Order(StringComparer.Ordinal)];
        return (Lines(await _world.Upstream.RequestsAsync()), Lines(await _world.Target.RequestsAsync()));
    }
}
