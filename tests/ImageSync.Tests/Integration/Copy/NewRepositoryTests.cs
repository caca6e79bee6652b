using System.Text.Json;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// quay.io and ghcr.io make a repository that a push creates private (issue 18 §2): after the push that created one,
/// the run says so once, with where to make it public. The tag list that tells is read only before writing a tag the
/// target lacks, once per repository: a warm run is still two HEADs per tag.
/// </summary>
public sealed class NewRepositoryTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData("quay.io", "quay.io: sail-dev/tool had no tags before this run; a repository a push creates is private on quay.io, whatever the plan: to let others pull it, https://quay.io/repository/sail-dev/tool?tab=settings, \"Repository visibility\", Make public")]
    [InlineData("ghcr.io", "ghcr.io: sail-dev/tool had no tags before this run; a new package is private on ghcr.io unless it inherits a linked repository's visibility: to let others pull it, https://github.com/orgs/sail-dev/packages/container/tool/settings (users/ instead of orgs/ for a personal account), \"Change visibility\"")]
    public async Task A_push_that_creates_a_repository_notes_once_that_it_is_private_and_a_warm_run_asks_nothing_more(string service, string note)
    {
        var image = TestImage.Create("new-" + service);
        await image.PushAsync(_world.Upstream, "istio/tool", "1.0");
        await image.PushAsync(_world.Upstream, "istio/tool", "1.1");
        await TestImage.Create("next-" + service).PushAsync(_world.Upstream, "istio/tool", "2.0");
        await using var front = await FaultProxy.StartAsync(_world.Target.Url, forwardHost: true);
        using var backend = new HttpClient();
        front.Rule = (request, _) => NewRepositoryPersonality.IsTagList(request) ? NewRepositoryPersonality.TagList(service, backend, _world.Target.Url) : null;
        string Config(params string[] tags) => _world.File($"{service}-{tags.Length}.json", $$"""
            { "images": [ { "name": "tool", "upstream": "upstream.test/istio/tool", "target": "{{service}}/sail-dev/tool", "tags": [{{string.Join(", ", tags.Select(t => $"\"{t}\""))}}] } ],
              "registries": { "{{service}}": { "url": "{{front.Url}}" } } }
            """);
        var config = Config("1.0", "1.1");
        var report = _world.File($"{service}-report.json", "");

        var status = await _world.RunAsync(config, "Status");
        var statusSeen = front.Seen.Count(s => s.Path.Contains("/tags/list", StringComparison.Ordinal));
        var cold = await _world.RunAsync(config, "SyncAll", "--report", report);
        var coldSeen = front.Seen.Count(s => s.Path.Contains("/tags/list", StringComparison.Ordinal));
        front.Seen.Clear();
        var warm = await _world.RunAsync(config, "SyncAll");
        var warmSeen = front.Seen.ToList();
        // A new tag into the repository that now exists: its tag list is read, and says nothing is new.
        var added = await _world.RunAsync(Config("1.0", "1.1", "2.0"), "SyncAll");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Equal(0, statusSeen);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/tool:1.1"));
        Assert.Equal(1, coldSeen);
        Assert.Single(cold.Out.Split('\n'), l => l.StartsWith("note tool:1.", StringComparison.Ordinal) && l.Contains(note, StringComparison.Ordinal));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.Single(json.RootElement.GetProperty("results").EnumerateArray(), r => r.TryGetProperty("notes", out var n) && n[0].GetString()!.StartsWith(note, StringComparison.Ordinal));
        }
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.DoesNotContain("had no tags", warm.Out, StringComparison.Ordinal);
        // Warm: one HEAD per tag on the target (the other is upstream's), nothing else of the repository.
        Assert.Equal(["HEAD /v2/sail-dev/tool/manifests/1.0", "HEAD /v2/sail-dev/tool/manifests/1.1"],
            warmSeen.Where(s => s.Path != "/v2/").Select(s => $"{s.Method} {s.Path}").Order(StringComparer.Ordinal));
        Assert.True(added.ExitCode == 0, added.Out + added.Error);
        Assert.DoesNotContain("had no tags", added.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_registry_s_tag_list_is_never_read_for_a_push()
    {
        await TestImage.Create("elsewhere").PushAsync(_world.Upstream, "istio/elsewhere", "1.0");
        var (target, run) = await _world.TargetProxyAsync();
        await using var _ = target;
        var config = _world.Config(("elsewhere", "istio/elsewhere", "mirror/elsewhere", ["1.0"], ""));

        var cold = await run(["SyncAll", "--config", config]);

        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.DoesNotContain(target.Seen, s => s.Path.Contains("/tags/list", StringComparison.Ordinal));
        Assert.DoesNotContain("had no tags", cold.Out, StringComparison.Ordinal);
    }
}
