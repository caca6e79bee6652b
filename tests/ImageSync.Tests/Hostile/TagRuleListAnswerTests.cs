using ImageSync.Tests.Support;

namespace ImageSync.Tests.Hostile;

/// <summary>An upstream whose tag list makes no sense, met by tag rules: an error row for that image, never a crash, and the other images still run.</summary>
public sealed class TagRuleListAnswerTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData("<html>maintenance</html>", "GET tags upstream.test/istio/broken: the registry's answer is not JSON")]
    [InlineData("""{"name":"istio/broken","tags":["1.0","../../x/manifests/y","2.0\r::error::x"]}""", null)]
    public async Task A_tag_list_that_is_no_json_or_holds_no_tags_is_an_error_row_or_left_out_and_the_other_images_run(string page, string? error)
    {
        var image = TestImage.Create("rules-hostile", layerSizes: [512], index: false);
        await image.PushAsync(_world.Upstream, "istio/fine", "1.0");
        await image.PushAsync(_world.Upstream, "istio/broken", "1.0");
        var config = _world.File($"c-{Guid.NewGuid():N}.json", """
            { "images": [
              { "name": "broken", "upstream": "upstream.test/istio/broken", "target": "target.test/mirror/broken", "tags": "*" },
              { "name": "fine", "upstream": "upstream.test/istio/fine", "target": "target.test/mirror/fine", "tags": ["1.0"] }
            ] }
            """);
        _world.Proxy.Rule = (request, _) => request.Path.Value!.EndsWith("/istio/broken/tags/list", StringComparison.Ordinal)
            ? new Fault.Respond(context => HostileServer.Json(context, 200, page))
            : null;

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.Equal(error is null ? 0 : 1, run.ExitCode);
        Assert.DoesNotContain("defect", run.Out + run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/fine:1.0"));
        if (error is not null)
        {
            Assert.Matches(@"broken\W+tag_rules\W+error", run.Out);
            Assert.Contains(error, run.Out, StringComparison.Ordinal);
        }
        else
        {
            // Names outside the tag grammar are no tags: only 1.0 is picked and copied.
            Assert.Contains("broken: tag_rules (every tag) pick 1 of 1 upstream tag: 1.0 (every tag)", run.Out, StringComparison.Ordinal);
            Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/broken:1.0"));
        }
    }
}
