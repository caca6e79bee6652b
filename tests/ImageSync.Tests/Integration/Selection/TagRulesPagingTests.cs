using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Selection;

/// <summary>"tags": "*" over a tag list of more than one page: every page is read (Link: rel="next"), once per run.</summary>
public sealed class TagRulesPagingTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Every_tag_follows_the_tag_list_s_pages_and_mirrors_the_tags_of_each()
    {
        var one = TestImage.Create("paged-1", layerSizes: [512], index: false);
        var two = TestImage.Create("paged-2", layerSizes: [512], index: false);
        await one.PushAsync(_world.Upstream, "istio/paged", "1.0");
        await two.PushAsync(_world.Upstream, "istio/paged", "2.0");
        // Two pages, as a registry that pages its tag list answers (distribution 2.8 lists every tag in one page and
        // ignores n and last; distribution 3 and the hosted registries page): the first holds 1.0 and points at the
        // second, which holds 2.0. The images themselves are the registry's.
        _world.Proxy.Rule = (request, _) => request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal)
            ? new Fault.Respond(context =>
            {
                var first = !context.Request.QueryString.Value!.Contains("last=", StringComparison.Ordinal);
                if (first)
                {
                    context.Response.Headers["Link"] = "</v2/istio/paged/tags/list?n=1000&last=1.0>; rel=\"next\"";
                }
                return HostileServer.Json(context, 200, first ? """{"name":"istio/paged","tags":["1.0"]}""" : """{"name":"istio/paged","tags":["2.0"]}""");
            })
            : null;
        var config = _world.File($"c-{Guid.NewGuid():N}.json",
            """{ "images": [ { "name": "paged", "upstream": "upstream.test/istio/paged", "target": "target.test/mirror/paged", "tags": "*" } ] }""");

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.True(run.Out.Contains("paged: tag_rules (every tag) pick 2 of 2 upstream tags: 2.0 (every tag), 1.0 (every tag)", StringComparison.Ordinal), run.Out);
        Assert.Equal(one.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/paged:1.0"));
        Assert.Equal(two.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/paged:2.0"));
        Assert.Equal(["/v2/istio/paged/tags/list?n=1000", "/v2/istio/paged/tags/list?n=1000&last=1.0"],
            _world.Proxy.Seen.Where(r => r.Path.Contains("/tags/list", StringComparison.Ordinal)).Select(r => r.Path));
    }
}
