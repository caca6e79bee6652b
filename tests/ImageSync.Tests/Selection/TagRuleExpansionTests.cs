using System.Collections.Concurrent;
using System.Text;
using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.Registry;
using ImageSync.Selection;

namespace ImageSync.Tests.Selection;

/// <summary>A run's work list with tag rules, over a tag-list source that counts its reads (no registry).</summary>
public sealed class TagRuleExpansionTests
{
    private sealed class Lists(Dictionary<string, string[]> tags) : ITagListSource
    {
        public ConcurrentQueue<string> Reads { get; } = new();

        public Task<IReadOnlyList<string>> TagsAsync(RepositoryAccess repository, CancellationToken cancellationToken)
        {
            Reads.Enqueue(repository.Repository);
            return tags.TryGetValue(repository.Repository, out var list)
                ? Task.FromResult<IReadOnlyList<string>>(list)
                : throw new RegistryException($"GET tags {repository}: 401 Unauthorized");
        }
    }

    private static SyncConfig Config(string images)
    {
        var loaded = ConfigLoader.Load(ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes($$"""{ "images": [ {{images}} ] }"""));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return loaded.Config!;
    }

    private static readonly string Two = """
        { "name": "app", "upstream": "docker.io/istio/app", "target": "quay.io/x/app", "tags": ["latest"], "tag_rules": { "semver": ">=1.20.0 <2" } },
        { "name": "plain", "upstream": "docker.io/istio/plain", "target": "quay.io/x/plain", "tags": ["1.0"] },
        { "name": "all", "upstream": "docker.io/istio/all", "target": "quay.io/x/all", "tags": "*" }
        """;

    private static Lists Upstream() => new(new()
    {
        ["istio/app"] = ["1.19.0", "1.20.0", "1.21.0-rc.1", "1.21.0", "2.0.0", "latest", "sha256-00ff.sig"],
        ["istio/all"] = ["b", "a", "sha256-00ff"],
    });

    private static string[] Work(RuleExpansion expansion) => [.. expansion.Selection.Work.Select(w => $"{w.Image.Name}:{w.Tag.Target}")];

    [Fact]
    public async Task Listed_tags_come_first_then_the_picks_and_each_rule_image_is_listed_once()
    {
        var lists = Upstream();

        var expansion = await TagRuleExpansion.ExpandAsync(Config(Two), null, null, null, lists, 4, CancellationToken.None);

        Assert.Equal(["app:latest", "app:1.21.0", "app:1.20.0", "plain:1.0", "all:a", "all:b"], Work(expansion));
        Assert.Equal(["istio/all", "istio/app"], lists.Reads.Order());
        Assert.Empty(expansion.Failures);
        Assert.Equal("app: tag_rules (semver >=1.20.0 <2) pick 2 of 7 upstream tags: 1.21.0 (semver >=1.20.0 <2), 1.20.0 (semver >=1.20.0 <2)", expansion.Images[0].Line);
        Assert.Equal("all: tag_rules (every tag) pick 2 of 3 upstream tags: a (every tag), b (every tag)", expansion.Images[1].Line);
        // A picked tag is positioned at the rules that picked it.
        Assert.Equal(new SourcePosition("c.json", 1, 127), expansion.Config.Images[0].Tags[1].Position);
    }

    [Fact]
    public async Task Only_the_images_of_the_run_have_their_list_read_and_a_single_tag_reads_none()
    {
        var lists = Upstream();
        var config = Config(Two);

        var one = await TagRuleExpansion.ExpandAsync(config, "app", null, null, lists, 4, CancellationToken.None);
        Assert.Equal(["istio/app"], lists.Reads);
        Assert.Equal(["app:latest", "app:1.21.0", "app:1.20.0"], Work(one));

        var shard = new Shard(Shard.Of("all", 2), 2);
        var sharded = await TagRuleExpansion.ExpandAsync(config, null, null, shard, lists, 4, CancellationToken.None);
        Assert.Equal(["istio/app", "istio/all"], lists.Reads);
        Assert.All(sharded.Selection.Work, w => Assert.True(shard.Contains(w.Image)));

        var tag = await TagRuleExpansion.ExpandAsync(config, "app", "1.21.0", null, lists, 4, CancellationToken.None);
        Assert.Equal(2, lists.Reads.Count);
        Assert.Equal(["app:1.21.0"], Work(tag));
        Assert.StartsWith("note: app lists no tag \"1.21.0\" (it has latest, tag_rules: semver >=1.20.0 <2); working on 1.21.0 as asked", tag.Selection.Note, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ImageSyncException>(() => TagRuleExpansion.ExpandAsync(config, "nope", null, null, lists, 4, CancellationToken.None));
    }

    [Fact]
    public async Task A_list_that_cannot_be_read_is_an_error_row_and_the_other_images_still_run()
    {
        var config = Config("""
            { "name": "gone", "upstream": "docker.io/istio/gone", "target": "quay.io/x/gone", "tags": ["1.0"], "tag_rules": { "latest": 1 } },
            { "name": "app", "upstream": "docker.io/istio/app", "target": "quay.io/x/app", "tag_rules": { "latest": 1 } }
            """);

        var expansion = await TagRuleExpansion.ExpandAsync(config, null, null, null, Upstream(), 4, CancellationToken.None);

        Assert.Equal(["gone:1.0", "app:2.0.0"], Work(expansion));
        var failure = Assert.Single(expansion.Failures);
        Assert.Equal(("gone", "tag_rules", TagAction.Error), (failure.Image, failure.Tag, failure.Action));
        Assert.Equal("tag_rules: upstream's tag list: GET tags docker.io/istio/gone: 401 Unauthorized", failure.Error);
    }

    [Fact]
    public async Task A_rule_never_picks_a_tag_another_image_writes()
    {
        // Two repositories mirrored into one: "one" lists 2.0, "two" would pick it from its own upstream.
        var config = Config("""
            { "name": "one", "upstream": "docker.io/istio/one", "target": "quay.io/x/app", "tags": ["2.0"] },
            { "name": "two", "upstream": "docker.io/istio/two", "target": "quay.io/x/app", "tags": "*" }
            """);
        var lists = new Lists(new() { ["istio/two"] = ["2.0", "3.0"] });

        var expansion = await TagRuleExpansion.ExpandAsync(config, null, null, null, lists, 4, CancellationToken.None);

        Assert.Equal(["one:2.0", "two:3.0"], Work(expansion));
        var failure = Assert.Single(expansion.Failures);
        Assert.Equal("quay.io/x/app:2.0 is also written by \"one\"; a rule never picks a tag another image writes", failure.Error);
    }

    [Fact]
    public async Task A_tag_both_listed_and_picked_is_worked_on_once()
    {
        var config = Config("""{ "name": "app", "upstream": "docker.io/istio/app", "target": "quay.io/x/app", "tags": ["2.0.0", "1.20.0"], "tag_rules": { "latest": 2 } }""");

        var expansion = await TagRuleExpansion.ExpandAsync(config, null, null, null, Upstream(), 4, CancellationToken.None);

        Assert.Equal(["app:2.0.0", "app:1.20.0", "app:1.21.0"], Work(expansion));
    }

    [Fact]
    public async Task Two_images_of_one_upstream_repository_read_its_list_once()
    {
        var config = Config("""
            { "name": "new", "upstream": "docker.io/istio/app", "target": "quay.io/x/new", "tag_rules": { "semver": ">=2" } },
            { "name": "old", "upstream": "docker.io/istio/app", "target": "quay.io/y/old", "tag_rules": { "semver": "<1.20" } }
            """);
        var lists = Upstream();

        var expansion = await TagRuleExpansion.ExpandAsync(config, null, null, null, lists, 4, CancellationToken.None);

        Assert.Equal(["new:2.0.0", "old:1.19.0"], Work(expansion));
        Assert.Equal(["istio/app"], lists.Reads);
    }
}
