using System.Collections.Concurrent;
using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// registry.istio.io as an upstream: a front with its own token realm that answers manifests itself and redirects
/// every blob GET to a storage host on another origin with a signed URL. That is how Istio serves it (Cloudflare
/// rules redirecting blob paths to its R2 buckets, istio/test-infra#5878, infra/cf/cncf-istio/r2.tf) and how the
/// Cloudflare-worker fronts of cloud registries work (ciiiii/cloudflare-docker-proxy: the worker rewrites the
/// challenge's realm to its own /token and passes the registry's blob redirects on). Signed URLs expire (60 s for
/// docker-archive/docker-registry#389's CloudFront URLs, about 300 s for ghcr.io's S3 ones per
/// containerd/stargz-snapshotter#167), and an expired one is S3's 403 AccessDenied "Request has expired".
/// </summary>
public sealed class RegistryFrontTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-front-").FullName;
    private RegistryServer _release = null!;
    private RegistryServer _target = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(RegistryServer.StartAsync(), RegistryServer.StartAsync());
        (_release, _target) = (servers[0], servers[1]);
    }

    public async Task DisposeAsync()
    {
        await _release.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static bool IsBlobGet(HttpRequest request) =>
        request.Method == "GET" && request.Path.Value!.Contains("/blobs/sha256:", StringComparison.Ordinal);

    [Fact]
    public async Task Registry_istio_io_signs_blob_urls_on_another_host_that_never_sees_credentials_and_an_expired_url_is_signed_again()
    {
        const string user = "istio-mirror";
        const string password = "istio-front-secret-0123456789";
        var image = TestImage.Create("istio-front", ["linux/amd64", "linux/arm64"]);
        await image.PushAsync(_release, "release/pilot", "1.29.0");
        await TestImage.Create("istio-front-next").PushAsync(_release, "release/pilot", "1.29.1");
        await using var tokens = await TokenServer.StartAsync(user, password, _dir, service: "registry.istio.io", anonymousPull: true);
        await using var storage = await SignedBlobStorage.StartAsync(_release.Url);
        // The first URL signed for each blob has expired by the time it is fetched (a slow queue, a clock ahead).
        var signed = new ConcurrentDictionary<string, int>();
        var frontAuthorizations = new ConcurrentQueue<string>();
        await using var front = await FaultProxy.StartAsync(_release.Url);
        front.Rule = (request, _) =>
        {
            var authorization = request.Headers.Authorization.ToString();
            frontAuthorizations.Enqueue(authorization);
            return !authorization.StartsWith("Bearer ", StringComparison.Ordinal)
                ? new Fault.Respond(context =>
                {
                    context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{tokens.Realm}\",service=\"registry.istio.io\"";
                    return HostileServer.Json(context, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
                })
            : IsBlobGet(request)
                ? new Fault.Respond(context =>
                {
                    var first = signed.AddOrUpdate(request.Path.Value!, 1, (_, n) => n + 1) == 1;
                    context.Response.StatusCode = 307;
                    context.Response.Headers.Location = storage.Sign(request.Path.Value!, first ? TimeSpan.FromMinutes(-1) : TimeSpan.FromMinutes(5)).ToString();
                    return Task.CompletedTask;
                })
                : null;
        };
        var config = Path.Combine(_dir, "config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "images": [ { "name": "pilot", "upstream": "registry.istio.io/release/pilot", "target": "target.test/mirror/pilot", "tags": ["1.29.0"] } ],
              "registries": { "registry.istio.io": { "url": "{{front.Url}}", "username_env": "ISTIO_USER", "password_env": "ISTIO_PASSWORD" },
                              "target.test": { "url": "{{_target.Url}}" } } }
            """);
        var anonymous = new Dictionary<string, string> { ["HOME"] = _dir };
        var configured = new Dictionary<string, string>(anonymous) { ["ISTIO_USER"] = user, ["ISTIO_PASSWORD"] = password };
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

        var status = await CliRunner.RunAsync(["Status", "--config", config], anonymous);
        var cold = await CliRunner.RunAsync(["SyncAll", "--config", config], configured);
        var (storageAfterCold, refusedCold, signedCold) = (storage.Seen.Count, storage.Refused, signed.ToArray());
        var warm = await CliRunner.RunAsync(["SyncAll", "--config", config], configured);
        var storageAfterWarm = storage.Seen.Count;
        storage.RefuseAll = true;
        await File.WriteAllTextAsync(config, File.ReadAllText(config).Replace("[\"1.29.0\"]", "[\"1.29.0\", \"1.29.1\"]", StringComparison.Ordinal));
        var failing = await CliRunner.RunAsync(["SyncAll", "--config", config], configured);

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Contains("missing", status.Out, StringComparison.Ordinal);
        Assert.Contains(tokens.Requests, r => r.Authorization is null && r.Scopes.Contains("repository:release/pilot:pull"));
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/pilot:1.29.0"));
        // Every blob was fetched from storage, each first URL refused as expired and signed again by the front.
        Assert.Equal(image.Blobs.Count, signedCold.Length);
        Assert.All(signedCold, s => Assert.Equal(2, s.Value));
        Assert.Equal(image.Blobs.Count, refusedCold);
        // The configured credential went to the front's realm only, as Basic; the front saw only its tokens; storage saw neither.
        Assert.Contains(tokens.Requests, r => r.Authorization == basic);
        Assert.All(frontAuthorizations, a => Assert.DoesNotContain("Basic", a, StringComparison.Ordinal));
        Assert.NotEmpty(storage.Seen);
        Assert.All(storage.Seen, r => Assert.Null(r.Authorization));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Equal(storageAfterCold, storageAfterWarm);
        Assert.Equal(1, failing.ExitCode);
        Assert.Matches(@"pilot\s+│\s+1\.29\.1\s+│\s+error", failing.Out);
        Assert.Contains($"the storage host {storage.Url.Authority} it redirected to refused the signed URL twice (403 Forbidden)", failing.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("credentials from", failing.Out, StringComparison.Ordinal);
        Assert.All(storage.Seen, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(password, cold.Out + cold.Error + failing.Out + failing.Error, StringComparison.Ordinal);
    }
}
