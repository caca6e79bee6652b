using System.Security.Cryptography;
using System.Text;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>
/// A signature cosign made for a real image (Fixtures/cosign-kms-signature, see its SOURCE.md): the .sig manifest's
/// layer, its payload and the KMS key. Our verifier accepts it as cosign did, and refuses it once any part is altered.
/// </summary>
public sealed class RealCosignSignatureTests
{
    private const string Repository = "us-central1-docker.pkg.dev/builder-395303/repo1/tee";
    private static readonly Digest Image = Digest.Parse("sha256:60cb37c249fe3695c3660e431a60bf8e8684989bf1882786cc673ce933e27849");

    private static string Dir => Path.Combine(TestPaths.FixturesRoot, "cosign-kms-signature");

    private static (CosignSignature Signature, VerificationKey Key) Load(Func<byte[], byte[]>? alterPayload = null, Func<string, string>? alterSignature = null)
    {
        var (layer, annotations) = Assert.Single(SignatureManifest.Layers(File.ReadAllBytes(Path.Combine(Dir, "signature-manifest.json"))));
        var payload = File.ReadAllBytes(Path.Combine(Dir, "payload.json"));
        // The payload is the layer's blob: its digest and size are the manifest's.
        Assert.Equal(layer.Digest, Digest.Sha256(payload));
        Assert.Equal(layer.Size, payload.LongLength);
        var changed = new Dictionary<string, string>(annotations);
        changed[CosignSignature.SignatureAnnotation] = (alterSignature ?? (s => s))(changed[CosignSignature.SignatureAnnotation]);
        var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(Dir, "cosign.pub")));
        return (CosignSignature.FromLayer((alterPayload ?? (p => p))(payload), changed), key);
    }

    private static Verdict Verify(CosignSignature signature, VerificationKey key, Digest? image = null, string repository = Repository) =>
        new SignatureVerifier(new SignaturePolicy("key kms_pub.pem", key, null, null, null, MatchRepository: true)).Verify(signature, image ?? Image, repository);

    [Fact]
    public void The_real_signature_verifies_for_its_image_and_repository()
    {
        var (signature, key) = Load();
        var verdict = Verify(signature, key);
        Assert.True(verdict.Verified, verdict.Reason);
    }

    [Fact]
    public void It_is_refused_once_its_payload_names_another_digest()
    {
        var (signature, key) = Load(alterPayload: p => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(p).Replace("sha256:60cb37", "sha256:60cb38", StringComparison.Ordinal)));
        Assert.Equal(RefusalKind.BadSignature, Verify(signature, key, Digest.Parse("sha256:60cb38c249fe3695c3660e431a60bf8e8684989bf1882786cc673ce933e27849")).Refusal);
    }

    [Fact]
    public void It_is_refused_once_its_signature_is_altered()
    {
        var (signature, key) = Load(alterSignature: s => s.Replace("MEUCIFCX", "MEUCIFCY", StringComparison.Ordinal));
        Assert.Equal(RefusalKind.BadSignature, Verify(signature, key).Refusal);
    }

    [Fact]
    public void It_is_refused_for_another_image_repository_or_key()
    {
        var (signature, key) = Load();
        Assert.Equal(RefusalKind.OtherSubject, Verify(signature, key, Digest.Parse("sha256:" + new string('0', 64))).Refusal);
        Assert.Equal(RefusalKind.OtherSubject, Verify(signature, key, repository: "us-central1-docker.pkg.dev/builder-395303/repo1/other").Refusal);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(Verify(signature, VerificationKey.FromPem(other.ExportSubjectPublicKeyInfoPem())).Verified);
    }
}
