using System.Security.Cryptography;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>Keyed tag-scheme signatures with each key type cosign supports, the payload's claims, and malformed input.</summary>
public sealed class KeyedTests
{
    private const string Repository = "docker.io/istio/proxyv2";
    private static readonly Digest Image = Digest.Sha256("proxyv2 index"u8);

    private static CosignSignature Layer(byte[] payload, byte[] signature) =>
        CosignSignature.FromLayer(payload, new Dictionary<string, string> { [CosignSignature.SignatureAnnotation] = Convert.ToBase64String(signature) });

    private static Verdict Verify(VerificationKey key, CosignSignature signature, bool matchRepository = false, string repository = Repository) =>
        new SignatureVerifier(new SignaturePolicy("key cosign.pub", key, null, null, null, matchRepository)).Verify(signature, Image, repository);

    [Fact]
    public void Rsa_pkcs1_sha256_signatures_verify_and_another_rsa_key_does_not()
    {
        using var rsa = RSA.Create(3072);
        using var other = RSA.Create(2048);
        var payload = CosignArtifacts.Payload(Image.ToString(), Repository);
        var signature = Layer(payload, rsa.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var key = VerificationKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem());
        Assert.Equal("RSA 3072", key.Kind);
        Assert.True(Verify(key, signature).Verified);
        Assert.Equal(RefusalKind.BadSignature, Verify(VerificationKey.FromPem(other.ExportSubjectPublicKeyInfoPem()), signature).Refusal);
    }

    [Fact]
    public void A_p384_key_verifies_cosigns_sha256_and_sigstores_sha384_signatures()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var key = VerificationKey.FromPem(ec.ExportSubjectPublicKeyInfoPem());
        var payload = CosignArtifacts.Payload(Image.ToString(), Repository);
        Assert.True(Verify(key, Layer(payload, ec.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))).Verified);
        Assert.True(Verify(key, Layer(payload, ec.SignData(payload, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence))).Verified);
        Assert.False(Verify(key, Layer(payload, ec.SignData(payload, HashAlgorithmName.SHA512, DSASignatureFormat.Rfc3279DerSequence))).Verified);
    }

    [Fact]
    public void A_weak_rsa_key_or_a_private_key_is_not_a_verification_key()
    {
        using var weak = RSA.Create(1024);
        Assert.Contains("too weak", Assert.Throws<FormatException>(() => VerificationKey.FromPem(weak.ExportSubjectPublicKeyInfoPem())).Message, StringComparison.Ordinal);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("not a public key", Assert.Throws<FormatException>(() => VerificationKey.FromPem(ec.ExportPkcs8PrivateKeyPem())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ed25519_signatures_made_by_openssl_verify()
    {
        if (!File.Exists("/usr/bin/openssl"))
        {
            return; // OpenSSL is the independent signer here; the RFC 8032 vectors cover the verifier without it.
        }
        var dir = Directory.CreateTempSubdirectory("imagesync-ed25519-").FullName;
        try
        {
            var payload = CosignArtifacts.Payload(Image.ToString(), Repository);
            await File.WriteAllBytesAsync(Path.Combine(dir, "payload"), payload);
            await Run(dir, "genpkey", "-algorithm", "ed25519", "-out", "key.pem");
            await Run(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "key.pub");
            await Run(dir, "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "payload", "-out", "sig");
            var key = VerificationKey.FromPem(await File.ReadAllTextAsync(Path.Combine(dir, "key.pub")));
            var signature = await File.ReadAllBytesAsync(Path.Combine(dir, "sig"));
            Assert.Equal("Ed25519", key.Kind);
            Assert.True(Verify(key, Layer(payload, signature)).Verified);
            signature[10] ^= 0x20;
            Assert.Equal(RefusalKind.BadSignature, Verify(key, Layer(payload, signature)).Refusal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task Run(string dir, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("openssl") { WorkingDirectory = dir, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(bound.Token);
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
    }

    [Fact]
    public void The_payload_must_name_the_repository_when_the_policy_says_so()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = VerificationKey.FromPem(ec.ExportSubjectPublicKeyInfoPem());
        var payload = CosignArtifacts.Payload(Image.ToString(), "index.docker.io/istio/proxyv2");
        var signature = Layer(payload, CosignArtifacts.Sign(ec, payload));
        Assert.True(Verify(key, signature, matchRepository: true).Verified, "index.docker.io is docker.io");
        Assert.True(Verify(key, signature, matchRepository: false, repository: "quay.io/evil/proxyv2").Verified);
        var other = Verify(key, signature, matchRepository: true, repository: "quay.io/evil/proxyv2");
        Assert.Equal(RefusalKind.OtherSubject, other.Refusal);
        Assert.Contains("for repository index.docker.io/istio/proxyv2, not quay.io/evil/proxyv2", other.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:" + "00" + "\"},\"type\":\"cosign container image signature\"}}", "not a digest")]
    [InlineData("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"},\"type\":\"something else\"}}", "critical.type")]
    [InlineData("{\"critical\":{\"type\":\"cosign container image signature\",\"type\":\"x\"}}", "not valid JSON")]
    [InlineData("[1,2", "not valid JSON")]
    public void A_validly_signed_payload_that_is_not_a_cosign_payload_is_refused(string payload, string reason)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var verdict = Verify(VerificationKey.FromPem(ec.ExportSubjectPublicKeyInfoPem()), Layer(bytes, CosignArtifacts.Sign(ec, bytes)));
        Assert.Equal(RefusalKind.Malformed, verdict.Refusal);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_most_telling_refusal_is_the_tags_reason_and_no_signature_is_unsigned()
    {
        var refusals = new[] { Verdict.Refuse(RefusalKind.Malformed, "m"), Verdict.Refuse(RefusalKind.BadSignature, "b"), Verdict.Refuse(RefusalKind.OtherSigner, "o") };
        Assert.Equal("b (and 2 more signature(s) refused)", Verdict.Combine(refusals, "x").Reason);
        Assert.True(Verdict.Combine([.. refusals, Verdict.Pass("ok")], "x").Verified);
        Assert.Equal(RefusalKind.NotSigned, Verdict.Combine([], "repo@sha256:1").Refusal);
    }
}
