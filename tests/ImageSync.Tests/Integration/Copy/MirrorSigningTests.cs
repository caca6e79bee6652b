using System.Security.Cryptography;
using System.Text.Json;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// The mirror signs what it writes (issue 19, section 3), against two real distribution 2.8 registries: the
/// signature is appended to the .sig manifest beside upstream's copied one, our verifier and openssl accept it, a
/// second hop with a verify policy on the mirror's key accepts it, and the key is never printed, --debug included.
/// </summary>
public sealed class MirrorSigningTests : IAsyncLifetime
{
    private SyncWorld _world = null!;
    private readonly ECDsa _upstreamKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _mirrorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private string _mirrorPem = null!;

    public async Task InitializeAsync()
    {
        _world = await SyncWorld.StartAsync();
        _mirrorPem = _mirrorKey.ExportPkcs8PrivateKeyPem();
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        _upstreamKey.Dispose();
        _mirrorKey.Dispose();
    }

    private Dictionary<string, string> Environment => new() { ["MIRROR_KEY"] = _mirrorPem };

    private const string SignAndVerify = "\"verify\": { \"cosign\": { \"key\": \"keys/upstream.pub\" } }, \"sign\": { \"cosign\": { \"key_env\": \"MIRROR_KEY\" } }";

    /// <summary>An upstream image signed by upstream's key, and a config that verifies it and signs the copy.</summary>
    private async Task<(TestImage Image, string Config)> SignedUpstreamAsync(params string[] tags)
    {
        var image = TestImage.Create("mirror-signs");
        foreach (var tag in tags)
        {
            await image.PushAsync(_world.Upstream, "istio/app", tag);
        }
        var payload = CosignArtifacts.Payload(image.Root.Digest, "upstream.test/istio/app");
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/app", image.Root.Digest, payload, CosignArtifacts.Sign(_upstreamKey, payload));
        var config = _world.Config(("app", "istio/app", "mirror/app", tags, SignAndVerify));
        var keys = Path.Combine(Path.GetDirectoryName(config)!, "keys");
        Directory.CreateDirectory(keys);
        File.WriteAllText(Path.Combine(keys, "upstream.pub"), CosignArtifacts.PublicPem(_upstreamKey));
        File.WriteAllText(Path.Combine(keys, "mirror.pub"), CosignArtifacts.PublicPem(_mirrorKey));
        return (image, config);
    }

    [Fact]
    public async Task A_sync_with_sign_writes_a_signature_that_our_verifier_openssl_and_a_second_hop_accept()
    {
        var (image, config) = await SignedUpstreamAsync("1.0");
        var report = Path.Combine(Path.GetDirectoryName(config)!, "report.json");

        var run = await _world.RunWithEnvironmentAsync(config, Environment, "SyncAll", "--debug", "--report", report);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var sigTag = image.Root.Digest.Replace(':', '-') + ".sig";
        Assert.Contains($"note app:1.0: signed: {sigTag} now carries the mirror's signature (the key in $MIRROR_KEY, ECDSA P-256)", run.Out, StringComparison.Ordinal);
        using (var written = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var notes = written.RootElement.GetProperty("results")[0].GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
            Assert.Contains(notes, n => n!.StartsWith($"signed: {sigTag}", StringComparison.Ordinal));
        }

        // Upstream's signature was copied and stays first, byte for byte; ours follows.
        var upstreamSig = await GetAsync(_world.Upstream, $"v2/istio/app/manifests/{sigTag}");
        var targetSig = await GetAsync(_world.Target, $"v2/mirror/app/manifests/{sigTag}");
        var layers = SignatureManifest.Layers(targetSig);
        Assert.Equal(2, layers.Count);
        Assert.Equal(SignatureManifest.Layers(upstreamSig)[0].Layer, layers[0].Layer);
        var (ours, annotations) = layers[1];
        var payload = await GetAsync(_world.Target, $"v2/mirror/app/blobs/{ours.Digest}");
        var verifier = new SignatureVerifier(new SignaturePolicy("key mirror.pub", VerificationKey.FromPem(CosignArtifacts.PublicPem(_mirrorKey)), null, null, null, MatchRepository: true));
        var verdict = verifier.Verify(CosignSignature.FromLayer(payload, annotations), Digest.Parse(image.Root.Digest), "target.test/mirror/app");
        Assert.True(verdict.Verified, verdict.Reason);

        // An independent implementation: OpenSSL checks the ECDSA signature over the payload bytes with the public key.
        Assert.Equal("Verified OK", await OpenSslVerifyAsync(payload, Convert.FromBase64String(annotations[CosignSignature.SignatureAnnotation])));

        // The key never reached the output, in any form the guard knows, with --debug on.
        var printed = run.Out + run.Error + await File.ReadAllTextAsync(report);
        Assert.All(_mirrorPem.Split('\n').Where(l => l.Length > 8 && !l.StartsWith("-----", StringComparison.Ordinal)), line => Assert.DoesNotContain(line, printed, StringComparison.Ordinal));

        // A second hop that trusts only the mirror's key, and wants the payload to name the repository it copies from.
        var hop = _world.File("hop2.json", """
            { "images": [ { "name": "app", "upstream": "target.test/mirror/app", "target": "target.test/hop2/app", "tags": ["1.0"],
                            "verify": { "cosign": { "key": "keys/mirror.pub", "match_repository": true } } } ] }
            """);
        Assert.Equal(Path.GetDirectoryName(config), Path.GetDirectoryName(hop)); // keys/mirror.pub is beside both
        var second = await _world.RunAsync(hop, "SyncAll");
        Assert.True(second.ExitCode == 0, second.Out + second.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "hop2/app:1.0"));
    }

    /// <summary>Without our signature the second hop refuses: the test above holds only because the mirror signed.</summary>
    [Fact]
    public async Task A_second_hop_on_the_mirror_key_refuses_a_copy_the_mirror_did_not_sign()
    {
        var (image, _) = await SignedUpstreamAsync("1.0");
        var unsigned = _world.Config(("app", "istio/app", "mirror/app", ["1.0"], "\"verify\": { \"cosign\": { \"key\": \"keys/upstream.pub\" } }"));
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(unsigned)!, "keys"));
        Assert.Equal(0, (await _world.RunAsync(unsigned, "SyncAll")).ExitCode);
        var hop = _world.File("hop2-unsigned.json", """
            { "images": [ { "name": "app", "upstream": "target.test/mirror/app", "target": "target.test/hop2/app", "tags": ["1.0"],
                            "verify": { "cosign": { "key": "keys/mirror.pub" } } } ] }
            """);

        var second = await _world.RunAsync(hop, "SyncAll");

        Assert.True(second.ExitCode == 1, second.Out + second.Error);
        Assert.Contains("unverified app:1.0: the signature does not verify with key keys/mirror.pub", second.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "hop2/app:1.0"));
        _ = image;
    }

    [Fact]
    public async Task Status_and_dry_run_say_a_signature_would_be_added_and_write_nothing()
    {
        var (image, config) = await SignedUpstreamAsync("1.0");
        await _world.Target.ResetLogAsync();

        var status = await _world.RunWithEnvironmentAsync(config, Environment, "Status");
        var dryRun = await _world.RunWithEnvironmentAsync(config, Environment, "DryRun");

        var note = $"note app:1.0: sign: would add the mirror's signature (the key in $MIRROR_KEY) to {image.Root.Digest.Replace(':', '-')}.sig";
        Assert.Contains(note, status.Out, StringComparison.Ordinal);
        Assert.Contains(note, dryRun.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(await _world.Target.RequestsAsync(), r => r.Method is not ("GET" or "HEAD"));
    }

    /// <summary>A digest that already carries our signature gets no second one (signatures are randomised, so it is verified, not compared).</summary>
    [Fact]
    public async Task A_digest_already_signed_by_the_mirror_is_not_signed_again()
    {
        var (image, config) = await SignedUpstreamAsync("1.0", "stable");
        var first = _world.Config(("app", "istio/app", "mirror/app", ["1.0"], SignAndVerify));
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(first)!, "keys"));
        Assert.Equal(0, (await _world.RunWithEnvironmentAsync(first, Environment, "SyncAll")).ExitCode);
        var sigPath = $"v2/mirror/app/manifests/{image.Root.Digest.Replace(':', '-')}.sig";
        var signedOnce = await GetAsync(_world.Target, sigPath);

        // stable is the same digest: written now; upstream's signatures are not copied again, so the .sig is ours as it was.
        var run = await _world.RunWithEnvironmentAsync(config, Environment, "SyncAll", "--no-signatures");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("note app:stable: signed: ", run.Out, StringComparison.Ordinal);
        Assert.Contains("already carries the mirror's signature", run.Out, StringComparison.Ordinal);
        Assert.Equal(signedOnce, await GetAsync(_world.Target, sigPath));
    }

    /// <summary>
    /// With "follow", an in-sync tag compares its .sig with upstream's: the target's holds upstream's layer and ours, so
    /// it is kept (writing upstream's over it would drop ours every run); a signature upstream adds later replaces the
    /// target's, and the mirror signs again.
    /// </summary>
    [Fact]
    public async Task Follow_keeps_the_mirror_signature_and_signs_again_when_upstream_adds_one()
    {
        var (image, _) = await SignedUpstreamAsync("1.0");
        var config = _world.Config(("app", "istio/app", "mirror/app", ["1.0"], SignAndVerify + ", \"signatures\": \"follow\""));
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(config)!, "keys"));
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(config)!, "keys", "upstream.pub"), CosignArtifacts.PublicPem(_upstreamKey));
        Assert.Equal(0, (await _world.RunWithEnvironmentAsync(config, Environment, "SyncAll")).ExitCode);
        var sigTag = image.Root.Digest.Replace(':', '-') + ".sig";
        var sigPath = $"v2/mirror/app/manifests/{sigTag}";
        var signedOnce = await GetAsync(_world.Target, sigPath);
        await _world.Target.ResetLogAsync();

        var again = await _world.RunWithEnvironmentAsync(config, Environment, "SyncAll");

        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        var kept = await GetAsync(_world.Target, sigPath);
        Assert.True(signedOnce.AsSpan().SequenceEqual(kept), again.Out);
        Assert.DoesNotContain(await _world.Target.RequestsAsync(), r => r.Method is not ("GET" or "HEAD"));

        // Upstream signs once more (a second layer): the target takes upstream's two and the mirror's goes on again.
        var payload = CosignArtifacts.Payload(image.Root.Digest, "upstream.test/istio/app");
        await CosignArtifacts.PushSignatureAsync(_world.Upstream, "istio/app", image.Root.Digest, payload, CosignArtifacts.Sign(_upstreamKey, payload));
        var upstreamSig = await GetAsync(_world.Upstream, $"v2/istio/app/manifests/{sigTag}");

        var third = await _world.RunWithEnvironmentAsync(config, Environment, "SyncAll");

        Assert.True(third.ExitCode == 0, third.Out + third.Error);
        Assert.Contains($"updated signature {sigTag}", third.Out, StringComparison.Ordinal);
        Assert.Contains($"signed: {sigTag} now carries the mirror's signature", third.Out, StringComparison.Ordinal);
        var layers = SignatureManifest.Layers(await GetAsync(_world.Target, sigPath));
        var theirs = SignatureManifest.Layers(upstreamSig);
        Assert.Equal(theirs.Count + 1, layers.Count);
        Assert.Equal(theirs.Select(l => l.Layer.Digest), layers.Take(theirs.Count).Select(l => l.Layer.Digest));
    }

    [Fact]
    public async Task Validate_names_an_unset_key_variable_at_its_field()
    {
        var (_, config) = await SignedUpstreamAsync("1.0");

        var run = await _world.RunAsync(config, "Validate");

        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        Assert.Matches(@"config-[0-9a-f]+\.json:3:\d+: images\[0\]\.sign\.cosign\.key_env: MIRROR_KEY is not set", run.Error);
    }

    private static async Task<byte[]> GetAsync(RegistryServer registry, string path)
    {
        using var http = new HttpClient { BaseAddress = registry.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<string> OpenSslVerifyAsync(byte[] payload, byte[] signature)
    {
        var dir = Directory.CreateTempSubdirectory("imagesync-openssl-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, "payload"), payload);
            await File.WriteAllBytesAsync(Path.Combine(dir, "sig.der"), signature);
            await File.WriteAllTextAsync(Path.Combine(dir, "mirror.pub"), CosignArtifacts.PublicPem(_mirrorKey));
            var output = await RegistryServer.RunAsync("openssl", "dgst", "-sha256", "-verify", Path.Combine(dir, "mirror.pub"), "-signature", Path.Combine(dir, "sig.der"), Path.Combine(dir, "payload"));
            return output.Trim();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
