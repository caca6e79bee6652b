using System.Security.Cryptography;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// A keyed verify policy against two real distribution 2.8 registries: the signed image is copied; the unsigned,
/// the wrongly signed, the tampered and the one whose signature names another image are refused (unverified, exit
/// 1, the reason in one line), and nothing of them reaches the target.
/// </summary>
public sealed class SignatureGateIntegrationTests : IAsyncLifetime
{
    private SyncWorld _world = null!;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        _key.Dispose();
        _otherKey.Dispose();
    }

    private const string Policy = "\"verify\": { \"cosign\": { \"key\": \"keys/cosign.pub\" } }";

    private string Config(params (string Name, string Upstream, string Target, string[] Tags, string Extra)[] images)
    {
        var config = _world.Config(images);
        var keys = Path.Combine(Path.GetDirectoryName(config)!, "keys");
        Directory.CreateDirectory(keys);
        File.WriteAllText(Path.Combine(keys, "cosign.pub"), CosignArtifacts.PublicPem(_key));
        return config;
    }

    private async Task<TestImage> PushAsync(string seed, string repository)
    {
        var image = TestImage.Create(seed);
        await image.PushAsync(_world.Upstream, repository, "1.0");
        return image;
    }

    [Fact]
    public async Task A_keyed_policy_copies_the_signed_image_and_refuses_the_unsigned_the_wrongly_signed_and_the_tampered()
    {
        var signed = await PushAsync("signed", "istio/signed");
        var payload = CosignArtifacts.Payload(signed.Root.Digest, "upstream.test/istio/signed");
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/signed", signed.Root.Digest, payload, CosignArtifacts.Sign(_key, payload));

        await PushAsync("unsigned", "istio/unsigned");

        var wrong = await PushAsync("wrong", "istio/wrong");
        var wrongPayload = CosignArtifacts.Payload(wrong.Root.Digest, "upstream.test/istio/wrong");
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/wrong", wrong.Root.Digest, wrongPayload, CosignArtifacts.Sign(_otherKey, wrongPayload));

        // Tampered: signed, then the payload changed after signing (another repository named in it).
        var tampered = await PushAsync("tampered", "istio/tampered");
        var original = CosignArtifacts.Payload(tampered.Root.Digest, "upstream.test/istio/tampered");
        var altered = CosignArtifacts.Payload(tampered.Root.Digest, "upstream.test/istio/evil12");
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/tampered", tampered.Root.Digest, altered, CosignArtifacts.Sign(_key, original));

        // A valid signature by the right key, but for the signed image, put beside another one.
        var moved = await PushAsync("moved", "istio/moved");
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/moved", moved.Root.Digest, payload, CosignArtifacts.Sign(_key, payload));

        var config = Config(
            ("signed", "istio/signed", "mirror/signed", ["1.0"], Policy),
            ("unsigned", "istio/unsigned", "mirror/unsigned", ["1.0"], Policy),
            ("wrong", "istio/wrong", "mirror/wrong", ["1.0"], Policy),
            ("tampered", "istio/tampered", "mirror/tampered", ["1.0"], Policy),
            ("moved", "istio/moved", "mirror/moved", ["1.0"], Policy));
        await _world.Target.ResetLogAsync();

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        Assert.Equal(signed.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/signed:1.0"));
        Assert.Matches(@"unverified unsigned:1\.0: upstream\.test/istio/unsigned@sha256:[0-9a-f]{64} is not signed", run.Out);
        Assert.Matches(@"unverified wrong:1\.0: the signature does not verify with key keys/cosign\.pub", run.Out);
        Assert.Matches(@"unverified tampered:1\.0: the signature does not verify with key keys/cosign\.pub", run.Out);
        Assert.Matches($@"unverified moved:1\.0: the signature is valid but for {signed.Root.Digest}, not {moved.Root.Digest}", run.Out);
        Assert.Matches(@"5 tags: 1 copied, 4 unverified", run.Out);
        // Nothing of the refused images was written: no request to their target repositories but reads.
        var writes = (await _world.Target.RequestsAsync()).Where(r => r.Method is "PUT" or "POST" or "PATCH" or "DELETE").Select(r => r.Path).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, path => Assert.StartsWith("/v2/mirror/signed/", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_and_dry_run_show_the_refusal_and_write_nothing()
    {
        await PushAsync("unsigned", "istio/unsigned");
        var config = Config(("unsigned", "istio/unsigned", "mirror/unsigned", ["1.0"], Policy));
        await _world.Target.ResetLogAsync();

        var status = await _world.RunAsync(config, "Status");
        var dryRun = await _world.RunAsync(config, "DryRun");

        Assert.True(status.ExitCode == 1, status.Out + status.Error);
        Assert.Contains("unverified", status.Out, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 1, dryRun.Out + dryRun.Error);
        Assert.Matches(@"1 tag: 1 unverified", dryRun.Out);
        Assert.DoesNotContain(await _world.Target.RequestsAsync(), r => r.Method is not ("GET" or "HEAD"));
    }

    [Fact]
    public async Task A_sigstore_bundle_attached_as_a_referrer_through_the_fallback_tag_lets_the_image_through()
    {
        var image = await PushAsync("bundled", "istio/bundled");
        await CosignArtifacts.PushBundleReferrerAsync(_world.Upstream, "istio/bundled", image.Root, CosignArtifacts.DsseBundle(_key, image.Root.Digest));
        var other = await PushAsync("bundled-other", "istio/bundled-other");
        await CosignArtifacts.PushBundleReferrerAsync(_world.Upstream, "istio/bundled-other", other.Root, CosignArtifacts.DsseBundle(_otherKey, other.Root.Digest));
        var config = Config(
            ("bundled", "istio/bundled", "mirror/bundled", ["1.0"], Policy),
            ("other", "istio/bundled-other", "mirror/bundled-other", ["1.0"], Policy));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/bundled:1.0"));
        Assert.Matches(@"unverified other:1\.0: signed by another key \(key hint [A-Za-z0-9+/=]+\), not by key keys/cosign\.pub", run.Out);
    }

    /// <summary>There is no fallback tag here: without the referrers API the image would be "not signed".</summary>
    [Fact]
    public async Task A_bundle_listed_by_the_referrers_api_is_found_without_a_fallback_tag()
    {
        await using var world = await SyncWorld.StartAsync(proxyUpstream: true);
        var image = TestImage.Create("api");
        await image.PushAsync(world.Upstream, "istio/api", "1.0");
        var index = await CosignArtifacts.PushBundleReferrerAsync(world.Upstream, "istio/api", image.Root, CosignArtifacts.DsseBundle(_key, image.Root.Digest), fallbackTag: false);
        // A registry with the OCI 1.1 referrers API (distribution-spec v1.1.0, "Listing Referrers"): GET
        // /v2/<name>/referrers/<digest> answers an image index of the manifests whose subject is the digest.
        world.Proxy.Rule = (request, _) => request.Path.Value == $"/v2/istio/api/referrers/{image.Root.Digest}"
            ? new Fault.Respond(async context =>
            {
                context.Response.ContentType = index.MediaType;
                await context.Response.Body.WriteAsync(index.Raw);
            })
            : null;
        var config = world.Config(("api", "istio/api", "mirror/api", ["1.0"], Policy));
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(config)!, "keys"));
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(config)!, "keys", "cosign.pub"), CosignArtifacts.PublicPem(_key));

        var run = await world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(world.Target, "mirror/api:1.0"));
        Assert.Contains(world.Proxy.Seen, r => r.Path == $"/v2/istio/api/referrers/{image.Root.Digest}" && r.Status == 200);
    }

    [Fact]
    public async Task A_signature_layer_larger_than_the_bound_is_refused_without_being_downloaded()
    {
        var image = await PushAsync("huge", "istio/huge");
        var huge = new byte[(int)ImageSync.Copy.SignatureGate.MaxArtifactBytes + 1];
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/huge", image.Root.Digest, huge, CosignArtifacts.Sign(_key, huge));
        var config = Config(("huge", "istio/huge", "mirror/huge", ["1.0"], Policy));
        await _world.Upstream.ResetLogAsync();

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        Assert.Matches(@"unverified huge:1\.0: a signature artifact of 1048577 bytes \(sha256:[0-9a-f]{64}\) is larger than the 1048576 one may be; it was not read", run.Out);
        Assert.DoesNotContain(await _world.Upstream.RequestsAsync(), r => r.Method == "GET" && r.Path.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policy_that_names_a_missing_key_is_a_validate_error_at_its_field()
    {
        var config = _world.Config(("app", "istio/app", "mirror/app", ["1.0"], Policy));

        var run = await _world.RunAsync(config, "Validate");

        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        Assert.Matches(@"config-[0-9a-f]+\.json:3:\d+: images\[0\]\.verify\.cosign\.key: ""keys/cosign\.pub"": no such file", run.Out + run.Error);
    }
}
