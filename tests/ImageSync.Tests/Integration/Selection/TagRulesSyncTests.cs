using System.Text.Json;
using System.Text.RegularExpressions;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Selection;

/// <summary>
/// tag_rules and "tags": "*" against two real distribution 2.8 registries: what List and DryRun say the rules pick,
/// what SyncAll copies (checked with skopeo), and what a run costs: one tag list, then two HEADs per picked tag.
/// </summary>
public sealed class TagRulesSyncTests : IAsyncLifetime
{
    private static readonly string[] Releases = ["1.19.0", "1.20.0", "1.21.0-rc.1", "1.21.0", "2.0.0", "latest"];

    private SyncWorld _world = null!;
    private readonly Dictionary<string, TestImage> _images = [];
    private string _signatureTag = "";

    public async Task InitializeAsync()
    {
        _world = await SyncWorld.StartAsync();
        foreach (var tag in Releases)
        {
            _images[tag] = TestImage.Create($"rules-{tag}", layerSizes: [2048], index: false);
            await _images[tag].PushAsync(_world.Upstream, "istio/app", tag);
        }
        // 1.21.0's cosign signature, under the tag cosign gives it: an artefact of 1.21.0, never an image of its own.
        var digest = _images["1.21.0"].Root.Digest;
        _signatureTag = $"sha256-{digest["sha256:".Length..]}.sig";
        await TestImage.Create("rules-signature", layerSizes: [256], index: false).PushAsync(_world.Upstream, "istio/app", _signatureTag);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>A configuration of one image of upstream's istio/app, with <paramref name="fields"/> for its tags.</summary>
    private string Config(string name, string target, string fields) => _world.File($"{name}-{Guid.NewGuid():N}.json",
        $$"""{ "images": [ { "name": "{{name}}", "upstream": "upstream.test/istio/app", "target": "target.test/{{target}}", {{fields}} } ] }""");

    private async Task<string[]> TargetTagsAsync(string repository)
    {
        using var http = new HttpClient { BaseAddress = _world.Target.Url };
        using var json = JsonDocument.Parse(await http.GetStringAsync($"v2/{repository}/tags/list"));
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)];
    }

    private async Task<(string[] Upstream, string[] Target)> RequestsAsync() =>
        ([.. (await _world.Upstream.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal)],
         [.. (await _world.Target.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal)]);

    private async Task ResetLogsAsync()
    {
        await _world.Upstream.ResetLogAsync();
        await _world.Target.ResetLogAsync();
    }

    [Fact]
    public async Task A_semver_rule_is_shown_by_List_and_DryRun_copied_by_SyncAll_and_a_rerun_is_one_tag_list_and_two_heads_per_tag()
    {
        var config = Config("app", "mirror/app", "\"tag_rules\": { \"semver\": \">=1.20.0 <2\" }");

        var list = await _world.RunAsync(config, "List");
        Assert.True(list.ExitCode == 0, list.Out + list.Error);
        Assert.Contains("rules: semver >=1.20.0 <2", list.Out, StringComparison.Ordinal);
        Assert.Matches(@"app\W+1\.21\.0\W+semver >=1\.20\.0 <2", list.Out);
        Assert.Matches(@"app\W+1\.20\.0\W+semver >=1\.20\.0 <2", list.Out);
        foreach (var other in new[] { "1.19.0", "2.0.0", "1.21.0-rc.1", "latest", _signatureTag })
        {
            Assert.DoesNotMatch($@"app\W+{Regex.Escape(other)}\W", list.Out);
        }

        await ResetLogsAsync();
        var dryRun = await _world.RunAsync(config, "DryRun");
        Assert.True(dryRun.ExitCode == 0, dryRun.Out + dryRun.Error);
        Assert.Contains("app: tag_rules (semver >=1.20.0 <2) pick 2 of 7 upstream tags: 1.21.0 (semver >=1.20.0 <2), 1.20.0 (semver >=1.20.0 <2)", dryRun.Out, StringComparison.Ordinal);
        Assert.Matches(@"2 tags: 2 would-copy", dryRun.Out);
        Assert.All((await _world.Target.RequestsAsync()).Select(r => r.Method), m => Assert.Contains(m, new[] { "GET", "HEAD" }));
        Assert.Single((await _world.Upstream.RequestsAsync()), r => r.Path.Contains("/tags/list", StringComparison.Ordinal));

        var sync = await _world.RunAsync(config, "SyncAll");
        Assert.True(sync.ExitCode == 0, sync.Out + sync.Error);
        Assert.Equal(_images["1.20.0"].Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:1.20.0"));
        Assert.Equal(_images["1.21.0"].Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:1.21.0"));
        // The signature came along with the image it signs; nothing else was written.
        Assert.Equal(["1.20.0", "1.21.0", _signatureTag], await TargetTagsAsync("mirror/app"));

        await ResetLogsAsync();
        var rerun = await _world.RunAsync(config, "SyncAll");
        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        Assert.Matches(@"2 tags: 2 in-sync", rerun.Out);
        var (upstream, target) = await RequestsAsync();
        Assert.Equal(["GET /v2/istio/app/tags/list?n=1000", "HEAD /v2/istio/app/manifests/1.20.0", "HEAD /v2/istio/app/manifests/1.21.0"], upstream);
        Assert.Equal(["HEAD /v2/mirror/app/manifests/1.20.0", "HEAD /v2/mirror/app/manifests/1.21.0"], target);
    }

    [Fact]
    public async Task Every_tag_mirrors_the_whole_repository_but_its_artefact_tags_and_costs_the_same_per_tag()
    {
        var config = Config("all", "mirror/all", "\"tags\": \"*\"");

        var sync = await _world.RunAsync(config, "SyncAll");

        Assert.True(sync.ExitCode == 0, sync.Out + sync.Error);
        Assert.Matches(@"6 tags: 6 copied", sync.Out);
        Assert.Contains("all: tag_rules (every tag) pick 6 of 7 upstream tags", sync.Out, StringComparison.Ordinal);
        foreach (var tag in Releases)
        {
            Assert.Equal(_images[tag].Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/all:{tag}"));
        }
        string[] written = [.. Releases.Append(_signatureTag).Order(StringComparer.Ordinal)];
        Assert.Equal(written, await TargetTagsAsync("mirror/all"));

        await ResetLogsAsync();
        var rerun = await _world.RunAsync(config, "Status");
        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        var (upstream, target) = await RequestsAsync();
        Assert.Equal(["GET /v2/istio/app/tags/list?n=1000", .. Releases.Select(t => $"HEAD /v2/istio/app/manifests/{t}").Order(StringComparer.Ordinal)], upstream);
        Assert.Equal([.. Releases.Select(t => $"HEAD /v2/mirror/all/manifests/{t}").Order(StringComparer.Ordinal)], target);
    }

    [Fact]
    public async Task With_immutable_tags_a_rule_never_overwrites_a_tag_the_target_holds()
    {
        // The target already holds 1.21.0 as something else: a rule that picks it must not move it.
        var theirs = TestImage.Create("rules-theirs", layerSizes: [1024], index: false);
        await theirs.PushAsync(_world.Target, "mirror/app", "1.21.0");
        await ResetLogsAsync();
        var config = Config("app", "mirror/app", "\"tag_rules\": { \"latest\": 2 }, \"immutable_tags\": true");

        var sync = await _world.RunAsync(config, "SyncAll");

        Assert.True(sync.ExitCode == 2, sync.Out + sync.Error);
        Assert.Matches(@"2\.0\.0\W+copied", sync.Out);
        Assert.Matches(@"1\.21\.0\W+conflict", sync.Out);
        Assert.Equal(theirs.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:1.21.0"));
        Assert.Equal(_images["2.0.0"].Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:2.0.0"));
        Assert.DoesNotContain(await _world.Target.RequestsAsync(), r => r.Method == "PUT" && r.Path.EndsWith("/manifests/1.21.0", StringComparison.Ordinal));
    }
}
