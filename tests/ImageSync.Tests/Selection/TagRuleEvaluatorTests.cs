using System.Text;
using ImageSync.Config;
using ImageSync.Selection;

namespace ImageSync.Tests.Selection;

/// <summary>What tag rules pick from a tag list: pure, with the rules read from JSON as the tool reads them.</summary>
public sealed class TagRuleEvaluatorTests
{
    private const string Sig = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.sig";
    private const string Fallback = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>The tags of the example, and the artefact tags a signed repository has beside them.</summary>
    private static readonly string[] Upstream = ["1.19.0", "1.20.0", "1.21.0-rc.1", "1.21.0", "2.0.0", "latest", Sig, Fallback];

    /// <summary>Tags as Istio's repositories have them: releases, betas, the dev builds, floating and commit tags.</summary>
    private static readonly string[] Istio = ["1.28.2", "1.29.0", "1.29.0-beta.1", "1.29-dev", "1.29", "latest", "master-abc1234", "a1b2c3d4e5", "1.2.3.4", Sig];

    internal static TagRules Rules(string json)
    {
        var text = $$"""{ "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tag_rules": {{json}} } ] }""";
        var loaded = ConfigLoader.Load(ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(text));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return loaded.Config!.Images[0].Rules!;
    }

    private static string[] Picked(string json, IEnumerable<string> tags) => [.. TagRuleEvaluator.Pick(Rules(json), tags).Select(p => p.Tag)];

    [Fact]
    public void A_semver_range_picks_the_releases_in_it_newest_first_and_says_why()
    {
        var picks = TagRuleEvaluator.Pick(Rules("""{ "semver": ">=1.20.0 <2" }"""), Upstream);

        Assert.Equal(["1.21.0 (semver >=1.20.0 <2)", "1.20.0 (semver >=1.20.0 <2)"], picks.Select(p => p.ToString()));
    }

    [Fact]
    public void Pre_releases_are_picked_only_when_asked()
    {
        Assert.Equal(["1.21.0", "1.21.0-rc.1", "1.20.0"], Picked("""{ "semver": ">=1.20.0 <2", "prerelease": true }""", Upstream));
        // As npm: a range that names a pre-release of a version admits that version's pre-releases.
        Assert.Equal(["1.21.0", "1.21.0-rc.1"], Picked("""{ "semver": ">=1.21.0-rc.0 <2" }""", Upstream));
    }

    [Theory]
    [InlineData("~1.20", "1.20.0")]
    [InlineData("^1.20.0", "1.21.0,1.20.0")]
    [InlineData("1.x", "1.21.0,1.20.0,1.19.0")]
    [InlineData("1.19 - 1.20", "1.20.0,1.19.0")]
    [InlineData("1.19.0 || >=2", "2.0.0,1.19.0")]
    [InlineData("*", "2.0.0,1.21.0,1.20.0,1.19.0")]
    public void The_range_syntax_is_npms(string range, string expected) =>
        Assert.Equal(expected.Split(','), Picked($$"""{ "semver": "{{range}}" }""", Upstream));

    [Fact]
    public void Istio_tags_as_versions_dev_builds_are_pre_releases_floating_and_commit_tags_are_none()
    {
        // 1.29 is 1.29.0 (a floating minor tag is in the range of its version); 1.29-dev is 1.29.0-dev, a pre-release;
        // latest, master-abc1234 and a commit are no versions; four numbers are no semantic version.
        Assert.Equal(["1.29", "1.29.0", "1.28.2"], Picked("""{ "semver": ">=1.20.0 <2" }""", Istio));
        Assert.Equal(["1.29", "1.29.0", "1.29-dev", "1.29.0-beta.1", "1.28.2"], Picked("""{ "semver": ">=1.20.0 <2", "prerelease": true }""", Istio));
        Assert.Equal(["1.29", "1.29.0"], Picked("""{ "semver": ">=1.29.0-0 <1.30", "exclude": ".*-.*" }""", Istio));
    }

    [Fact]
    public void Latest_is_the_newest_releases_in_discovers_order()
    {
        Assert.Equal(["2.0.0 (latest 2)", "1.21.0 (latest 2)"], TagRuleEvaluator.Pick(Rules("""{ "latest": 2 }"""), Upstream).Select(p => p.ToString()));
        Assert.Equal(["2.0.0", "1.21.0", "1.21.0-rc.1"], Picked("""{ "latest": 3, "prerelease": true }""", Upstream));
        // Within a range: the newest of what the range picks.
        Assert.Equal(["1.21.0 (semver <2, latest 1)"], TagRuleEvaluator.Pick(Rules("""{ "semver": "<2", "latest": 1 }"""), Upstream).Select(p => p.ToString()));
    }

    [Fact]
    public void Include_and_exclude_match_the_whole_tag()
    {
        // "1\.2" alone is not "1.20.0" nor "x1.2": the pattern is anchored at both ends.
        Assert.Empty(Picked("""{ "include": "1\\.2" }""", ["1.20.0", "x1.2", "1.2x"]));
        Assert.Equal(["1.2"], Picked("""{ "include": "1\\.2" }""", ["1.20.0", "x1.2", "1.2"]));
        Assert.Equal(["1.21.0 (include 1\\.21.*)", "latest (include latest)"],
            TagRuleEvaluator.Pick(Rules("""{ "include": ["1\\.21.*", "latest"], "exclude": ".*-rc.*" }"""), Upstream).Select(p => p.ToString()));
    }

    [Fact]
    public void A_tag_is_picked_by_the_range_or_a_pattern_and_dropped_by_an_exclusion()
    {
        Assert.Equal(["2.0.0", "1.20.0", "latest"], Picked("""{ "semver": "2.x", "include": ["latest", "1\\.20\\.0"], "exclude": "1\\.21.*" }""", Upstream));
    }

    [Fact]
    public void Every_tag_is_everything_but_signatures_and_the_referrers_fallback()
    {
        string[] all = ["2.0.0", "1.21.0", "1.21.0-rc.1", "1.20.0", "1.19.0", "latest"];
        Assert.Equal(all, TagRuleEvaluator.Pick(TagRules.EveryTag(new SourcePosition("c.json", 1, 1)), Upstream).Select(p => p.Tag));
        Assert.Equal(all, Picked("{}", Upstream));
        // Even a pattern that matches them never picks an artefact as an image.
        Assert.DoesNotContain(Sig, Picked("""{ "include": "sha256-.*" }""", Upstream));
        Assert.Equal(["2.0.0", "1.19.0"], Picked("""{ "exclude": ["1\\.2.*", "latest"] }""", Upstream));
    }

    [Fact]
    public void A_pattern_that_would_backtrack_for_ever_runs_in_linear_time()
    {
        // (a+)+b against 127 a's takes 2^127 steps on a backtracking engine (the match timeout would end it, an
        // error); the linear-time engine answers at once.
        var tag = new string('a', 127);
        Assert.Empty(Picked("""{ "include": "(a+)+b" }""", [tag]));
        Assert.Equal([tag], Picked("""{ "include": "(a|aa)+" }""", [tag]));
    }

    [Fact]
    public void A_pattern_the_linear_engine_cannot_run_is_refused_at_its_field()
    {
        Assert.False(TagPattern.TryCreate("(?!.*-debug).*", out _, out var error));
        Assert.Contains("use \"exclude\" for what must not match", error, StringComparison.Ordinal);
        Assert.False(TagPattern.TryCreate("a)|(b", out _, out error));
        Assert.Contains("is not a regular expression", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_description_names_every_rule()
    {
        Assert.Equal("semver >=1.20.0 <2, include latest, exclude .*-debug, latest 3, pre-releases",
            Rules("""{ "semver": ">=1.20.0 <2", "include": "latest", "exclude": ".*-debug", "latest": 3, "prerelease": true }""").Description);
        Assert.Equal("every tag, exclude .*-debug", Rules("""{ "exclude": ".*-debug" }""").Description);
    }
}
