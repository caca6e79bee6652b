using ImageSync.Config;
using ImageSync.References;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;

namespace ImageSync.Tests.Reporting;

/// <summary>The bot's commit title counts the images whose entry changed; its body lists the moves it follows.</summary>
public sealed class AutoUpdateReportTests
{
    private static ImageSpec Image(string name, string upstream, params string[] tags) =>
        new(name, Reference.Parse(upstream), Reference.Parse($"quay.io/m/{name}"), [.. tags.Select(t => new TagSpec(t, t, new SourcePosition("c.json", 1, 1)))],
            null, [], false, new FieldPositions("images[0]", new SourcePosition("c.json", 1, 1), new Dictionary<string, SourcePosition>()));

    private static ImageUpdate Tag(ImageSpec image, string oldTag, string newTag) => new(image, null, oldTag, newTag, null, []);

    private static ImageUpdate Move(ImageSpec image, string to, string? newTag = null) =>
        new(image, Reference.Parse(to), newTag is null ? null : image.Tags[0].Target, newTag, null, []);

    [Fact]
    public void Two_tag_changes_and_two_followed_moves_are_four_images()
    {
        var (a, b, c, d) = (Image("a", "docker.io/istio/a", "1.0"), Image("b", "docker.io/istio/b", "1.0"), Image("c", "docker.io/istio/c", "1.0"), Image("d", "docker.io/istio/d", "1.0"));
        var moves = new[] { Move(c, "registry.istio.io/release/c"), Move(d, "registry.istio.io/release/d") };
        var plan = new AutoUpdatePlan("c.json", [Tag(a, "1.0", "1.1"), Tag(b, "1.0", "1.2"), .. moves], [], [], [], [], "samples") { FollowedMoves = moves };

        var message = AutoUpdateReport.CommitMessage(plan, UpstreamSampleSource.Default);

        Assert.StartsWith("Update 4 images to upstream's tags\n", message, StringComparison.Ordinal);
        Assert.Contains("- a: 1.0 -> 1.1", message, StringComparison.Ordinal);
        Assert.Contains("Upstream moves followed:\n\n- c: docker.io/istio/c -> registry.istio.io/release/c\n- d: docker.io/istio/d -> registry.istio.io/release/d\n", message.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("| `c` | `docker.io/istio/c` | `registry.istio.io/release/c` |", AutoUpdateReport.PullRequestBody(plan, UpstreamSampleSource.Default), StringComparison.Ordinal);
    }

    [Fact]
    public void Several_new_tags_of_one_image_are_one_image()
    {
        var a = Image("a", "docker.io/istio/a", "1.0", "2.0");
        var plan = new AutoUpdatePlan("c.json", [Tag(a, "1.0", "1.1"), Tag(a, "2.0", "2.1")], [], [], [], [], "samples");

        Assert.Equal("Update a to 1.1, 2.1", AutoUpdateReport.Title(plan));
    }

    [Fact]
    public void A_move_with_a_new_tag_is_one_image_and_its_move_is_listed()
    {
        var a = Image("a", "docker.io/kong/httpbin", "1.0");
        var move = Move(a, "docker.io/mccutchen/go-httpbin", "v2.15.0");
        var plan = new AutoUpdatePlan("c.json", [move], [], [], [], [], "samples") { FollowedMoves = [move] };

        var message = AutoUpdateReport.CommitMessage(plan, UpstreamSampleSource.Default);

        Assert.StartsWith("Update a to v2.15.0\n", message, StringComparison.Ordinal);
        Assert.Contains("- a: docker.io/kong/httpbin -> docker.io/mccutchen/go-httpbin", message, StringComparison.Ordinal);
    }
}
