using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;
using static ImageSync.Tests.Support.Personality;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// What a first real run meets (issue 18 §2), each reproduced in front of a real registry with the source cited
/// beside the code that handles it (RefusalHint, TagSynchronizer, ManifestCopier, RegistryUsage).
/// </summary>
public sealed class RegistryQuirkTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_windows_image_s_foreign_layer_is_left_at_its_urls_with_a_note_and_the_tag_is_copied()
    {
        var image = TestImage.Create("windows", ["windows/amd64"], index: false, format: ImageFormat.Docker);
        await image.PushAsync(_world.Upstream, "istio/windows", "base");
        // A Windows base layer: foreign media type, served from Microsoft's URLs, never by the registry (image-spec
        // "Non-distributable layers"; skopeo and crane leave it out unless asked).
        var foreign = $"sha256:{new string('f', 64)}";
        var manifest = Encoding.UTF8.GetString(image.Root.Raw).Replace("\"layers\":[", $"\"layers\":[{{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"{foreign}\",\"size\":1024,\"urls\":[\"https://mcr.microsoft.com/v2/windows/servercore/blobs/{foreign}\"]}},", StringComparison.Ordinal);
        var windows = new PushedManifest(image.Root.MediaType, Encoding.UTF8.GetBytes(manifest));
        using (var http = new HttpClient { BaseAddress = _world.Upstream.Url })
        {
            await TestImage.PutManifestAsync(http, "istio/windows", "1.0", windows);
        }
        var config = _world.Config(("windows", "istio/windows", "mirror/windows", ["1.0"], ""));

        var status = await _world.RunAsync(config, "Status");
        var cold = await _world.RunAsync(config, "SyncAll");
        var warm = await _world.RunAsync(config, "SyncAll");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(windows.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/windows:1.0"));
        Assert.Contains($"note windows:1.0: non-distributable layer {foreign} (application/vnd.docker.image.rootfs.foreign.diff.tar.gzip) not copied: it stays at its URLs (https://mcr.microsoft.com/", cold.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_world.Proxy.Seen, s => s.Path.Contains(foreign, StringComparison.Ordinal));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
    }

    [Fact]
    public async Task A_tag_that_reads_back_404_right_after_its_put_is_asked_again_before_the_copy_is_an_error()
    {
        var image = TestImage.Create("eventual");
        await image.PushAsync(_world.Upstream, "istio/eventual", "1.0");
        var (target, run) = await _world.TargetProxyAsync();
        await using var _ = target;
        var put = 0;
        var staleReads = 0;
        // Storage that is eventually consistent: for a moment after the tag's PUT, its HEAD finds nothing.
        target.Rule = (request, _) =>
        {
            var tag = request.Path.Value!.EndsWith("/manifests/1.0", StringComparison.Ordinal);
            if (tag && IsManifest(request, "PUT"))
            {
                Interlocked.Exchange(ref put, 1);
            }
            return tag && IsManifest(request, "HEAD") && Volatile.Read(ref put) == 1 && Interlocked.Increment(ref staleReads) <= 2
                ? Error(404, "MANIFEST_UNKNOWN", "manifest unknown")
                : null;
        };
        var config = _world.Config(("eventual", "istio/eventual", "mirror/eventual", ["1.0"], ""));

        var status = await run(["Status", "--config", config]);
        var cold = await run(["SyncAll", "--config", config]);
        var warm = await run(["SyncAll", "--config", config]);

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/eventual:1.0"));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        // Two stale answers, then the third read found the tag (and the warm run's one HEAD).
        Assert.Equal(4, staleReads);
    }

    [Fact]
    public async Task A_signature_tag_the_target_keeps_immutable_is_a_conflict_note_and_the_image_is_written()
    {
        var image = TestImage.Create("signed", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/signed", "1.0");
        var signatureTag = $"sha256-{image.Root.Digest["sha256:".Length..]}.sig";
        await TestImage.Create("signature-new", ["linux/amd64"], [256], index: false).PushAsync(_world.Upstream, "istio/signed", signatureTag);
        await TestImage.Create("signature-old", ["linux/amd64"], [256], index: false).PushAsync(_world.Target, "mirror/signed", signatureTag);
        var (target, run) = await _world.TargetProxyAsync();
        await using var _ = target;
        // ECR's immutable repositories keep an existing tag, cosign's signature tags included (TAG_INVALID).
        target.Rule = (request, _) => IsManifest(request, "PUT") && request.Path.Value!.EndsWith(signatureTag, StringComparison.Ordinal)
            ? Error(400, "TAG_INVALID", $"The image tag '{signatureTag}' already exists in the 'mirror/signed' repository and cannot be overwritten because the tag is immutable.")
            : null;
        var config = _world.Config(("signed", "istio/signed", "mirror/signed", ["1.0"], ""));

        var status = await run(["Status", "--config", config]);
        var cold = await run(["SyncAll", "--config", config]);
        var warm = await run(["SyncAll", "--config", config]);

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/signed:1.0"));
        Assert.Matches(@"signed\s+│\s+1\.0\s+│\s+copied", cold.Out);
        Assert.Contains($"note signed:1.0: conflict: signature tag {signatureTag} is immutable in the target and was kept as it is", cold.Out, StringComparison.Ordinal);
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
    }

    [Fact]
    public async Task Docker_hub_s_bare_429_and_its_empty_rate_limit_headers_are_reported_as_what_they_are()
    {
        await TestImage.Create("abuse").PushAsync(_world.Upstream, "istio/abuse", "1.0");
        // HEADs carry the rate-limit headers with no count in them; the manifest GET is refused with a bare 429.
        _world.Proxy.Rule = (request, _) =>
            IsManifest(request, "GET") ? new Fault.Status(429)
            : IsManifest(request, "HEAD") ? new Fault.AddHeaders(new Dictionary<string, string> { ["ratelimit-limit"] = ";w=21600", ["ratelimit-remaining"] = ";w=21600" })
            : null;
        var config = _world.Config(("abuse", "istio/abuse", "mirror/abuse", ["1.0"], ""));

        var status = await _world.RunAsync(config, "Status");
        var run = await _world.RunAsync(config, "SyncAll", "--retries", "0");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("429 Too Many Requests (no rate-limit count and no Retry-After: the registry limits this address, as Docker Hub does", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pull allowance left:  of", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pull allowance left", status.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("harbor-quota", "(the project's storage quota is used up: raise it or delete artifacts; this is not about the credentials)")]
    [InlineData("harbor-project", "(a push refused: the credentials may lack push access here, or the repository's project or organisation may not exist")]
    [InlineData("harbor-policy", "412 Precondition Failed (a policy of the registry refuses to serve it: Harbor answers 412 when a project prevents vulnerable or unsigned images")]
    [InlineData("ghcr", "(GitHub Packages: the token needs the write:packages scope, and the package must give this repository write access: https://github.com/orgs/mirror/packages/container/refused/settings")]
    public async Task A_refusal_says_what_it_may_mean(string refusal, string expected)
    {
        await TestImage.Create("refused-" + refusal).PushAsync(_world.Upstream, "istio/refused", "1.0");
        var (target, run) = await _world.TargetProxyAsync();
        await using var _ = target;
        target.Rule = (request, _) => (refusal, request.Method) switch
        {
            // goharbor/harbor#17390
            ("harbor-quota", "POST") => Error(403, "DENIED", "adding 29.0 MiB of storage resource, which when updated to current usage of 152.4 MiB will exceed the configured upper limit of 10.0 MiB."),
            // goharbor/harbor#966
            ("harbor-project", "POST") => Error(401, "UNAUTHORIZED", "unauthorized to access repository: mirror/refused, action: push: unauthorized to access repository: mirror/refused, action: push"),
            // goharbor/harbor#15885: the HEAD before the push is refused by the vulnerability policy.
            ("harbor-policy", "HEAD") when IsManifest(request, "HEAD") => new Fault.Status(412),
            // docker/build-push-action#806
            ("ghcr", "POST") => Error(403, "DENIED", "permission_denied: write_package"),
            _ => null,
        };
        var config = _world.Config(("refused", "istio/refused", "mirror/refused", ["1.0"], ""));

        var cold = await run(["SyncAll", "--config", config, "--retries", "0"]);

        Assert.Equal(1, cold.ExitCode);
        Assert.Contains(expected, cold.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/refused:1.0"));
    }

    [Theory]
    [InlineData("quay", 50)]
    [InlineData("ghcr", 0)]
    public async Task A_tag_list_is_read_whole_whether_pages_come_at_50_whatever_n_says_or_not_at_all(string registry, int pageSize)
    {
        await TestImage.Create("paged").PushAsync(_world.Upstream, "istio/paged", "1.0.0");
        var tags = Enumerable.Range(0, 1200).Select(i => $"1.{i / 100}.{i % 100}").ToArray();
        var pages = 0;
        // quay.io pages its tag list at 50 (up to 100) with a Link whatever n asks for; ghcr.io answers every tag in
        // one page with no Link, however many (issue 18 §2; the OCI distribution spec leaves both to the registry).
        _world.Proxy.Rule = (request, _) => request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal)
            ? new Fault.Respond(context =>
            {
                Interlocked.Increment(ref pages);
                var start = int.TryParse(context.Request.Query["next_page"], out var from) ? from : 0;
                var page = pageSize == 0 ? tags : tags.Skip(start).Take(pageSize).ToArray();
                if (pageSize > 0 && start + pageSize < tags.Length)
                {
                    context.Response.Headers.Link = $"</v2/istio/paged/tags/list?n={pageSize}&next_page={start + pageSize}>; rel=\"next\"";
                }
                return HostileServer.Json(context, 200, System.Text.Json.JsonSerializer.Serialize(new { name = "istio/paged", tags = page }));
            })
            : null;
        var config = _world.Config(("paged", "istio/paged", "mirror/paged", ["1.0.0"], ""));

        var run = await _world.RunAsync(config, "Discover", "--image", "paged", "--max", "3");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("paged (upstream.test/istio/paged): newest 3 of 1200 tags", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"1\.11\.99\s+│", run.Out);
        Assert.Equal(pageSize == 0 ? 1 : 1200 / pageSize, pages);
        Assert.Equal(registry == "quay" ? 24 : 1, pages);
    }

    [Fact]
    public async Task A_manifest_over_4_mib_that_the_target_refuses_says_its_size_and_the_limit()
    {
        var image = TestImage.Create("big-manifest", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/big-manifest", "base");
        // An image manifest with 4.5 MiB of annotations: inside our 8 MiB bound, over Azure Container Registry's 4 MiB.
        var raw = Encoding.UTF8.GetString(image.Root.Raw).TrimEnd('}') + $",\"annotations\":{{\"org.example.sbom\":\"{new string('a', 4_500_000)}\"}}}}";
        var big = new PushedManifest(image.Root.MediaType, Encoding.UTF8.GetBytes(raw));
        // distribution 2.8.2 takes at most 4 MiB as well ("http: request body too large"), so upstream's answer comes
        // from the proxy, and the target's refusal is the real registry's.
        _world.Proxy.Rule = (request, _) => request.Path.Value is "/v2/istio/big-manifest/manifests/1.0" || request.Path.Value == $"/v2/istio/big-manifest/manifests/{big.Digest}"
            ? new Fault.Respond(async context =>
            {
                context.Response.ContentType = big.MediaType;
                context.Response.ContentLength = big.Raw.Length;
                context.Response.Headers["Docker-Content-Digest"] = big.Digest;
                if (request.Method == "GET")
                {
                    await context.Response.Body.WriteAsync(big.Raw);
                }
            })
            : null;
        var config = _world.Config(("big", "istio/big-manifest", "mirror/big-manifest", ["1.0"], ""));

        var status = await _world.RunAsync(config, "Status");
        var cold = await _world.RunAsync(config, "SyncAll");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Equal(1, cold.ExitCode);
        Assert.Contains("400 Bad Request: MANIFEST_INVALID manifest invalid (http: request body too large) (the manifest is 4.3 MiB; some registries take at most 4 MiB, Azure Container Registry among them)", cold.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/big-manifest:1.0"));
    }
}
