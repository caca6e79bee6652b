using System.Text.Json;
using ImageSync.Tests.Support;
using static ImageSync.Tests.Support.TestReferrer;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// OCI 1.1 referrers copied with the manifests a run writes (the index and each child): through the fallback tag
/// between two distribution 2.8 registries (which have no referrers API), and through the referrers API of a
/// personality in front of them (<see cref="ReferrersPersonality"/>); subjects always pushed first.
/// </summary>
public sealed class ReferrerCopyTests : IAsyncLifetime
{
    private const string Spdx = "application/spdx+json";
    private const string Bundle = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Referrers_of_the_index_and_of_a_child_travel_through_the_fallback_tag_after_their_subjects_found_from_one_tag_list()
    {
        var image = TestImage.Create("refs");
        await image.PushAsync(_world.Upstream, "istio/refs", "1.0");
        var child = image.Children[0];
        var sbom = TestReferrer.Create(image.Root, Spdx, "index-sbom");
        var bundle = TestReferrer.Create(child, Bundle, "child-bundle");
        await TestReferrer.PushAsync(_world.Upstream.Url, "istio/refs", image.Root, fallbackTag: true, (sbom, Spdx));
        await TestReferrer.PushAsync(_world.Upstream.Url, "istio/refs", child, fallbackTag: true, (bundle, Bundle));
        var signature = TestImage.Create("refs-signature", ["linux/amd64"], [64], index: false);
        await signature.PushAsync(_world.Upstream, "istio/refs", FallbackTag(image.Root.Digest) + ".sig");
        var config = _world.Config(("refs", "istio/refs", "mirror/refs", ["1.0"], ""));
        await _world.Upstream.ResetLogAsync();
        await _world.Target.ResetLogAsync();

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(signature.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/refs:{FallbackTag(image.Root.Digest)}.sig"));
        // The target had no fallback tag: it gets upstream's, byte for byte.
        Assert.Equal(FallbackIndex((sbom.Root, Spdx)).Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/refs:{FallbackTag(image.Root.Digest)}"));
        Assert.Equal(FallbackIndex((bundle.Root, Bundle)).Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/refs:{FallbackTag(child.Digest)}"));
        Assert.Equal(sbom.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/refs@{sbom.Root.Digest}"));
        Assert.Equal(bundle.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/refs@{bundle.Root.Digest}"));
        Assert.Contains($"added signature {FallbackTag(image.Root.Digest)}.sig", run.Out, StringComparison.Ordinal);
        Assert.Contains($"added referrer {bundle.Root.Digest} ({Bundle}) of {child.Digest}", run.Out, StringComparison.Ordinal);

        // Subject before referrer: each referrer and each fallback tag is written after the manifest it refers to.
        var puts = (await _world.Target.RequestsAsync()).Where(r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal)).Select(r => r.Path.Split("/manifests/")[1]).ToList();
        Assert.True(puts.IndexOf(child.Digest) < puts.IndexOf(bundle.Root.Digest), string.Join("\n", puts));
        Assert.True(puts.IndexOf("1.0") < puts.IndexOf(sbom.Root.Digest), string.Join("\n", puts));
        Assert.True(puts.IndexOf(bundle.Root.Digest) < puts.IndexOf(FallbackTag(child.Digest)), string.Join("\n", puts));
        Assert.True(puts.IndexOf("1.0") < puts.IndexOf(FallbackTag(image.Root.Digest) + ".sig"), string.Join("\n", puts));

        // Discovery: one tag list for the repository and one referrers request for the registry (its 404 says it
        // has no API), then only the artifact tags that exist: no HEAD of a .att or .sbom that is not there.
        var upstream = await _world.Upstream.RequestsAsync();
        Assert.Single(upstream, r => r.Path.Contains("/tags/list", StringComparison.Ordinal));
        Assert.Single(upstream, r => r is { Method: "GET", Status: 404 } && r.Path.Contains("/referrers/", StringComparison.Ordinal));
        Assert.DoesNotContain(upstream, r => r.Path.EndsWith(".att", StringComparison.Ordinal) || r.Path.EndsWith(".sbom", StringComparison.Ordinal));
        Assert.Single(upstream, r => r.Method == "HEAD" && r.Path.EndsWith(".sig", StringComparison.Ordinal));

        await _world.Target.ResetLogAsync();
        var warm = await _world.RunAsync(config, "SyncAll");
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task Referrers_travel_through_the_referrers_api_where_both_registries_have_it_filtered_by_artifact_type()
    {
        var upstreamApi = new ReferrersPersonality(_world.Upstream.Url);
        _world.Proxy.Rule = upstreamApi.Rule;
        var (target, run) = await _world.TargetProxyAsync();
        await using var _ = target;
        var targetApi = new ReferrersPersonality(_world.Target.Url);
        target.Rule = targetApi.Rule;
        var image = TestImage.Create("api", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/api", "1.0");
        var sbom = TestReferrer.Create(image.Root, Spdx, "api-sbom");
        var bundle = TestReferrer.Create(image.Root, Bundle, "api-bundle");
        // Pushed through the personality, as to a registry with the API: no fallback tag anywhere.
        await TestReferrer.PushAsync(_world.Proxy.Url, "istio/api", image.Root, fallbackTag: false, (sbom, Spdx), (bundle, Bundle));
        var config = _world.Config(("api", "istio/api", "mirror/api", ["1.0"], $"\"artifact_types\": [\"{Bundle}\"]"));

        var cold = await run(["SyncAll", "--config", config]);

        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Contains(_world.Proxy.Seen, r => r.Path == $"/v2/istio/api/referrers/{image.Root.Digest}?artifactType={Uri.EscapeDataString(Bundle)}");
        var listed = await ListAsync(target.Url, "mirror/api", image.Root.Digest);
        Assert.Equal([bundle.Root.Digest], listed.Select(e => e.GetProperty("digest").GetString()));
        Assert.Equal(Bundle, listed[0].GetProperty("artifactType").GetString());
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/api@{sbom.Root.Digest}"));
        // The target answers the referrers API (and OCI-Subject on the PUT): it lists the referrer itself, so no fallback tag is written there.
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/api:{FallbackTag(image.Root.Digest)}"));
        var warm = await run(["SyncAll", "--config", config]);
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
    }

    [Fact]
    public async Task Referrers_read_through_the_api_are_listed_in_the_fallback_tag_of_a_target_without_it()
    {
        // One referrer a page: the list is read to its last page.
        _world.Proxy.Rule = new ReferrersPersonality(_world.Upstream.Url) { PageSize = 1 }.Rule;
        var image = TestImage.Create("api-to-tag", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/apitag", "1.0");
        var sbom = TestReferrer.Create(image.Root, Spdx, "apitag-sbom");
        var bundle = TestReferrer.Create(image.Root, Bundle, "apitag-bundle");
        await TestReferrer.PushAsync(_world.Proxy.Url, "istio/apitag", image.Root, fallbackTag: false, (sbom, Spdx), (bundle, Bundle));
        // The target already lists a referrer of its own under the fallback tag: it is kept, ours is added.
        var own = TestReferrer.Create(image.Root, "application/vnd.example.note", "target-own");
        await image.PushAsync(_world.Target, "mirror/apitag", image.Root.Digest);
        await TestReferrer.PushAsync(_world.Target.Url, "mirror/apitag", image.Root, fallbackTag: true, (own, "application/vnd.example.note"));
        var config = _world.Config(("apitag", "istio/apitag", "mirror/apitag", ["1.0"], ""));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(sbom.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/apitag@{sbom.Root.Digest}"));
        Assert.Equal(bundle.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/apitag@{bundle.Root.Digest}"));
        var fallback = await GetAsync(_world.Target.Url, $"v2/mirror/apitag/manifests/{FallbackTag(image.Root.Digest)}");
        var entries = fallback.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(own.Root.Digest, entries[0].GetProperty("digest").GetString());
        Assert.Equal(new[] { sbom.Root.Digest, bundle.Root.Digest }.Order(StringComparer.Ordinal), entries.Skip(1).Select(e => e.GetProperty("digest").GetString()).Order(StringComparer.Ordinal));
        var ours = entries.Single(e => e.GetProperty("digest").GetString() == sbom.Root.Digest);
        Assert.Equal(Spdx, ours.GetProperty("artifactType").GetString());
        Assert.Equal("2026-01-01T00:00:00Z", ours.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal(2, _world.Proxy.Seen.Count(r => r.Path.StartsWith($"/v2/istio/apitag/referrers/{image.Root.Digest}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task No_signatures_copies_none_of_them_and_asks_for_none()
    {
        var image = TestImage.Create("unsigned-run", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/nosig", "1.0");
        await TestImage.Create("nosig-signature", ["linux/amd64"], [64], index: false).PushAsync(_world.Upstream, "istio/nosig", FallbackTag(image.Root.Digest) + ".sig");
        var sbom = TestReferrer.Create(image.Root, Spdx, "nosig-sbom");
        await TestReferrer.PushAsync(_world.Upstream.Url, "istio/nosig", image.Root, fallbackTag: true, (sbom, Spdx));
        var follow = _world.Config(("nosig", "istio/nosig", "mirror/nosig", ["1.0"], "\"signatures\": \"follow\""));
        var none = _world.Config(("nosig", "istio/nosig", "mirror/none", ["1.0"], "\"signatures\": \"none\""));
        await _world.Upstream.ResetLogAsync();

        var flag = await _world.RunAsync(follow, "SyncAll", "--no-signatures");
        var again = await _world.RunAsync(follow, "SyncAll", "--no-signatures");
        var configured = await _world.RunAsync(none, "SyncAll");

        Assert.True(flag.ExitCode == 0 && again.ExitCode == 0 && configured.ExitCode == 0, flag.Out + again.Out + configured.Out);
        foreach (var repository in new[] { "mirror/nosig", "mirror/none" })
        {
            Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"{repository}:1.0"));
            Assert.Null(await Skopeo.DigestAsync(_world.Target, $"{repository}:{FallbackTag(image.Root.Digest)}.sig"));
            Assert.Null(await Skopeo.DigestAsync(_world.Target, $"{repository}:{FallbackTag(image.Root.Digest)}"));
            Assert.Null(await Skopeo.DigestAsync(_world.Target, $"{repository}@{sbom.Root.Digest}"));
        }
        Assert.DoesNotContain(await _world.Upstream.RequestsAsync(), r => r.Path.Contains("/tags/list", StringComparison.Ordinal) || r.Path.Contains("/referrers/", StringComparison.Ordinal) || r.Path.Contains("sha256-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_referrer_listed_for_one_digest_that_names_another_as_its_subject_is_not_copied()
    {
        var image = TestImage.Create("listed", ["linux/amd64"], index: false);
        var other = TestImage.Create("other", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/listed", "1.0");
        await other.PushAsync(_world.Upstream, "istio/listed", "other");
        // The fallback tag of 1.0 lists a referrer attached to another image: copied, it would be listed under 1.0.
        var stray = TestReferrer.Create(other.Root, Spdx, "stray");
        await stray.PushAsync(_world.Upstream, "istio/listed", stray.Root.Digest);
        using (var http = new HttpClient { BaseAddress = _world.Upstream.Url })
        {
            await TestImage.PutManifestAsync(http, "istio/listed", FallbackTag(image.Root.Digest), FallbackIndex((stray.Root, Spdx)));
        }
        var config = _world.Config(("listed", "istio/listed", "mirror/listed", ["1.0"], ""));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains($"referrer {stray.Root.Digest} ({Spdx}) of {image.Root.Digest} names {other.Root.Digest} as its subject; not copied", run.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/listed@{stray.Root.Digest}"));
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/listed:{FallbackTag(image.Root.Digest)}"));
    }

    private static async Task<List<JsonElement>> ListAsync(Uri registry, string repository, string subject) =>
        [.. (await GetAsync(registry, $"v2/{repository}/referrers/{subject}")).RootElement.GetProperty("manifests").EnumerateArray()];

    private static async Task<JsonDocument> GetAsync(Uri registry, string path)
    {
        using var http = new HttpClient { BaseAddress = registry };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
