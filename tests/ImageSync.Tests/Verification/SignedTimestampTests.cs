using System.Text.Json.Nodes;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>
/// RFC 3161 timestamps on real material: the conformance suite's dsse-with-hashedrekord-happy-path bundle (a
/// production Fulcio certificate, and a timestamp from sigstore's production TSA, which the public-good trusted root
/// names). With the log's signed entry timestamp taken out, the timestamp alone must prove the signing time.
/// </summary>
public sealed class SignedTimestampTests
{
    private const string Identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private static readonly string Suite = Path.Combine(TestPaths.FixturesRoot, "sigstore-conformance");
    private static readonly Digest Statement = Digest.Parse("sha256:70ed0277251d0cf2eb5eda8b574ce012de485e39a3de1fb4b1e0717e14b02d6a");

    private static JsonNode Bundle(string name = "dsse-with-hashedrekord-happy-path") =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Suite, "bundle-verify", name, "bundle.sigstore.json")))!;

    /// <summary>The bundle with its log entry's SET removed: only the inclusion proof (which has no time) and the RFC 3161 timestamp remain.</summary>
    private static JsonNode WithoutSet(JsonNode bundle)
    {
        bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove("inclusionPromise");
        return bundle;
    }

    private static Verdict Verify(JsonNode bundle, string? root = null)
    {
        var trusted = TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(root ?? File.ReadAllText(Path.Combine(Suite, "trusted_root.public-good.json"))));
        var verifier = new SignatureVerifier(new SignaturePolicy("the suite's identity", null, Identity, Issuer, trusted));
        return verifier.Verify(SigstoreBundle.Parse(System.Text.Encoding.UTF8.GetBytes(bundle.ToJsonString())), Statement);
    }

    [Fact]
    public void The_timestamp_alone_proves_the_signing_time()
    {
        var verdict = Verify(WithoutSet(Bundle()));
        Assert.True(verdict.Verified, verdict.Reason);
    }

    [Fact]
    public void Without_set_or_timestamp_nothing_proves_the_time()
    {
        var bundle = WithoutSet(Bundle());
        bundle["verificationMaterial"]!.AsObject().Remove("timestampVerificationData");

        Assert.Contains("no signed entry timestamp or RFC 3161 timestamp proves when the certificate signed", Verify(bundle).Reason, StringComparison.Ordinal);
    }

    /// <summary>The invalid-sig case's timestamp is a real TSA token, but over another signature.</summary>
    [Fact]
    public void A_timestamp_over_another_signature_proves_nothing()
    {
        var bundle = WithoutSet(Bundle());
        bundle["verificationMaterial"]!["timestampVerificationData"] = Bundle("dsse-with-hashedrekord-invalid-sig_fail")["verificationMaterial"]!["timestampVerificationData"]!.DeepClone();

        var verdict = Verify(bundle);

        Assert.False(verdict.Verified);
        Assert.Contains("an RFC 3161 timestamp does not verify for this signature", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_whose_signature_was_altered_proves_nothing()
    {
        var bundle = WithoutSet(Bundle());
        var stamp = bundle["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]![0]!;
        var token = Convert.FromBase64String(stamp["signedTimestamp"]!.GetValue<string>());
        token[^5] ^= 1; // inside the ECDSA signature at the end of the SignerInfo
        stamp["signedTimestamp"] = Convert.ToBase64String(token);

        Assert.False(Verify(bundle).Verified);
    }

    [Fact]
    public void A_timestamp_from_an_authority_the_trusted_root_does_not_name_proves_nothing()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Suite, "trusted_root.public-good.json")))!;
        root.AsObject().Remove("timestampAuthorities");

        var verdict = Verify(WithoutSet(Bundle()), root.ToJsonString());

        Assert.False(verdict.Verified);
        Assert.Contains("an RFC 3161 timestamp", verdict.Reason, StringComparison.Ordinal);
    }

    /// <summary>The authority must be valid at the token's time: a root whose TSA starts the day after vouches for nothing before.</summary>
    [Fact]
    public void A_timestamp_from_before_its_authority_was_valid_proves_nothing()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Suite, "trusted_root.public-good.json")))!;
        root["timestampAuthorities"]![0]!["validFor"]!["start"] = "2026-05-14T00:00:00Z";

        var verdict = Verify(WithoutSet(Bundle()), root.ToJsonString());

        Assert.False(verdict.Verified);
        Assert.Contains("an RFC 3161 timestamp of 2026-05-13 19:47:33Z is signed by CN=sigstore-tsa, O=sigstore.dev, which does not chain to a timestamp authority of the trusted root valid then", verdict.Reason, StringComparison.Ordinal);
    }
}
