using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>
/// Keyless tag-scheme signatures against a private sigstore (<see cref="SigstoreTestRoot"/>): each check (chain,
/// identity, issuer, signing time inside the certificate, SET, the entry being this signature's) refuses on its own.
/// </summary>
public sealed class KeylessTests : IDisposable
{
    private const string Repository = "docker.io/istio/pilot";
    private static readonly Digest Image = Digest.Sha256("pilot index"u8);

    private readonly SigstoreTestRoot _sigstore = new();
    private readonly ECDsa _ephemeral = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly DateTimeOffset _signedAt = DateTimeOffset.UtcNow.AddMinutes(-30);

    public void Dispose()
    {
        _sigstore.Dispose();
        _ephemeral.Dispose();
    }

    private SignaturePolicy Policy(string identity = SigstoreTestRoot.Identity, string issuer = SigstoreTestRoot.Issuer, TrustedRoot? root = null) =>
        new($"identity {identity} from {issuer}", null, identity, issuer, root ?? _sigstore.Trusted);

    private (CosignSignature Signature, X509Certificate2 Leaf) Sign(Func<X509Certificate2>? leaf = null, long? integratedTime = null, Func<byte[], byte[]>? body = null, ECDsa? setKey = null, bool logged = true)
    {
        var certificate = leaf?.Invoke() ?? _sigstore.Leaf(_ephemeral, _signedAt.AddMinutes(-1));
        var payload = CosignArtifacts.Payload(Image.ToString(), Repository);
        var signature = CosignArtifacts.Sign(_ephemeral, payload);
        var entry = SigstoreTestRoot.HashedRekord(SHA256.HashData(payload), signature, certificate);
        var annotations = new Dictionary<string, string>
        {
            [CosignSignature.SignatureAnnotation] = Convert.ToBase64String(signature),
            [CosignSignature.CertificateAnnotation] = certificate.ExportCertificatePem(),
        };
        if (logged)
        {
            annotations[CosignSignature.BundleAnnotation] = _sigstore.CosignBundleAnnotation(body?.Invoke(entry) ?? entry, integratedTime ?? _signedAt.ToUnixTimeSeconds(), signWith: setKey);
        }
        return (CosignSignature.FromLayer(payload, annotations), certificate);
    }

    private Verdict Verify(CosignSignature signature, SignaturePolicy? policy = null) =>
        new SignatureVerifier(policy ?? Policy()).Verify(signature, Image, Repository);

    [Fact]
    public void A_fulcio_certificate_for_the_identity_with_a_logged_signature_verifies()
    {
        var verdict = Verify(Sign().Signature);
        Assert.True(verdict.Verified, verdict.Reason);
    }

    [Fact]
    public void Another_identity_or_issuer_is_another_signer()
    {
        var (signature, _) = Sign();
        var identity = Verify(signature, Policy(identity: "https://github.com/evil/istio/.github/workflows/release.yml@refs/heads/master"));
        var issuer = Verify(signature, Policy(issuer: "https://accounts.google.com"));
        Assert.Equal(RefusalKind.OtherSigner, identity.Refusal);
        Assert.Contains($"signed by {SigstoreTestRoot.Identity} from {SigstoreTestRoot.Issuer}, not identity https://github.com/evil", identity.Reason, StringComparison.Ordinal);
        Assert.Equal(RefusalKind.OtherSigner, issuer.Refusal);
    }

    [Fact]
    public void An_identity_regexp_accepts_a_whole_match_and_refuses_a_partial_one_or_another_issuer()
    {
        var (signature, _) = Sign();
        SignaturePolicy Pattern(string pattern, string issuer = SigstoreTestRoot.Issuer) =>
            new($"an identity matching {pattern} from {issuer}", null, null, issuer, _sigstore.Trusted, IdentityPattern: IdentityPattern.Parse(pattern));

        var whole = Verify(signature, Pattern(@"https://github\.com/istio/istio/\.github/workflows/release\.yml@refs/(heads|tags)/.*"));
        var partial = Verify(signature, Pattern(@"https://github\.com/istio/istio"));
        var issuer = Verify(signature, Pattern(".*", "https://accounts.google.com"));

        Assert.True(whole.Verified, whole.Reason);
        Assert.Equal(RefusalKind.OtherSigner, partial.Refusal);
        Assert.Contains(@"not an identity matching https://github\.com/istio/istio from", partial.Reason, StringComparison.Ordinal);
        Assert.Equal(RefusalKind.OtherSigner, issuer.Refusal);
    }

    [Fact]
    public void A_certificate_from_another_ca_does_not_chain()
    {
        using var stranger = new SigstoreTestRoot();
        var (signature, _) = Sign(leaf: () => stranger.Leaf(_ephemeral, _signedAt.AddMinutes(-1)));
        var verdict = Verify(signature);
        Assert.Equal(RefusalKind.OtherSigner, verdict.Refusal);
        Assert.Contains("does not chain to a certificate authority of the trusted root", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_logged_after_the_certificate_expired_is_refused()
    {
        var verdict = Verify(Sign(integratedTime: _signedAt.AddMinutes(20).ToUnixTimeSeconds()).Signature);
        Assert.Equal(RefusalKind.BadSignature, verdict.Refusal);
        Assert.Contains("outside the certificate's validity", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_not_signed_by_the_log_or_over_another_time_is_refused()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Verify(Sign(setKey: forger).Signature);
        Assert.Contains("signed entry timestamp does not verify", forged.Reason, StringComparison.Ordinal);

        var (signature, _) = Sign();
        var moved = signature with { LogEntry = signature.LogEntry! with { IntegratedTime = signature.LogEntry.IntegratedTime + 1 } };
        Assert.Contains("signed entry timestamp does not verify", Verify(moved).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_entry_for_another_signature_does_not_vouch_for_this_one()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verdict = Verify(Sign(body: _ => SigstoreTestRoot.HashedRekord(SHA256.HashData("other"u8), CosignArtifacts.Sign(other, "other"u8.ToArray()), _sigstore.Leaf(other, _signedAt))).Signature);
        Assert.Equal(RefusalKind.BadSignature, verdict.Refusal);
        Assert.Contains("records another digest, signature or key", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unlogged_signature_or_one_in_an_unknown_log_is_refused()
    {
        Assert.Contains("not in a transparency log", Verify(Sign(logged: false).Signature).Reason, StringComparison.Ordinal);
        using var otherLog = new SigstoreTestRoot();
        var verdict = Verify(Sign().Signature, Policy(root: otherLog.Trusted));
        Assert.False(verdict.Verified);
        Assert.Contains("log the trusted root does not name", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_keyless_policy_refuses_a_keyed_signature_as_another_signer()
    {
        var payload = CosignArtifacts.Payload(Image.ToString(), Repository);
        var keyed = CosignSignature.FromLayer(payload, new Dictionary<string, string> { [CosignSignature.SignatureAnnotation] = Convert.ToBase64String(CosignArtifacts.Sign(_ephemeral, payload)) });
        var verdict = Verify(keyed);
        Assert.Equal(RefusalKind.OtherSigner, verdict.Refusal);
        Assert.Contains("signed with a key, not a certificate", verdict.Reason, StringComparison.Ordinal);
    }
}
