using System.Text;
using ImageSync.Tests.Support;
using static ImageSync.Tests.Support.Personality;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// Subject before referrer: GitLab's registry refuses an OCI 1.1 manifest whose <c>subject</c> it does not hold yet
/// (issue 18 §2), so the image is pushed before anything that refers to it (its signatures, SBOMs and the referrers
/// fallback tag that lists them).
/// </summary>
public sealed class SubjectFirstTests : IAsyncLifetime
{
    private const string MediaTypesOci = "application/vnd.oci.image.manifest.v1+json";
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_referrer_reaches_a_target_that_refuses_a_subject_it_does_not_hold_after_its_subject()
    {
        var image = TestImage.Create("subject", ["linux/amd64"], index: false);
        await image.PushAsync(_world.Upstream, "istio/subject", "1.0");
        // An OCI 1.1 referrer (an SBOM) naming the image as its subject, and the referrers fallback tag that lists it.
        var sbom = TestImage.Create("sbom", ["linux/amd64"], [128], index: false);
        await sbom.PushAsync(_world.Upstream, "istio/subject", "sbom-blobs");
        var referrer = new PushedManifest(MediaTypesOci, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(sbom.Root.Raw).TrimEnd('}')
            + $",\"artifactType\":\"application/spdx+json\",\"subject\":{{\"mediaType\":\"{image.Root.MediaType}\",\"digest\":\"{image.Root.Digest}\",\"size\":{image.Root.Raw.Length}}}}}"));
        var fallback = new PushedManifest("application/vnd.oci.image.index.v1+json", Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{{\"mediaType\":\"{MediaTypesOci}\",\"digest\":\"{referrer.Digest}\",\"size\":{referrer.Raw.Length},\"artifactType\":\"application/spdx+json\"}}]}}"));
        using (var http = new HttpClient { BaseAddress = _world.Upstream.Url })
        {
            await TestImage.PutManifestAsync(http, "istio/subject", referrer.Digest, referrer);
            await TestImage.PutManifestAsync(http, "istio/subject", $"sha256-{image.Root.Digest["sha256:".Length..]}", fallback);
        }
        var (target, run) = await _world.TargetProxyAsync();
        await using var _ = target;
        using var backend = new HttpClient();
        var refusedSubjects = 0;
        // GitLab's registry refuses a manifest whose subject it does not hold yet (issue 18 §2): push the subject first.
        target.Rule = (request, _) => IsManifest(request, "PUT")
            ? new Fault.Respond(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                using var json = System.Text.Json.JsonDocument.Parse(body.ToArray());
                var path = context.Request.Path.Value!.TrimStart('/');
                if (json.RootElement.TryGetProperty("subject", out var subject))
                {
                    using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(_world.Target.Url, $"v2/{Repository(context.Request)}/manifests/{subject.GetProperty("digest").GetString()}"));
                    head.Headers.Accept.ParseAdd(image.Root.MediaType);
                    using var held = await backend.SendAsync(head);
                    if (!held.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref refusedSubjects);
                        await HostileServer.Json(context, 400, """{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid: subject not found"}]}""");
                        return;
                    }
                }
                using var put = new ByteArrayContent(body.ToArray());
                put.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
                using var stored = await backend.PutAsync(new Uri(_world.Target.Url, path), put);
                context.Response.StatusCode = (int)stored.StatusCode;
                if (stored.Headers.TryGetValues("Docker-Content-Digest", out var digest))
                {
                    context.Response.Headers["Docker-Content-Digest"] = digest.First();
                }
            })
            : null;
        var config = _world.Config(("subject", "istio/subject", "mirror/subject", ["1.0"], ""));

        var status = await run(["Status", "--config", config]);
        var cold = await run(["SyncAll", "--config", config]);
        var warm = await run(["SyncAll", "--config", config]);

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/subject:1.0"));
        Assert.Equal(fallback.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/subject:sha256-{image.Root.Digest["sha256:".Length..]}"));
        Assert.Equal(0, refusedSubjects);
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
    }
}
