using System.Security.Cryptography;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>
/// Every vendored case of sigstore-conformance's bundle-verify suite (Fixtures/sigstore-conformance, see SOURCE.md)
/// gives its expected verdict: the case passes unless its folder name ends in _fail. The inputs are the suite's:
/// the artifact (default ../a.txt), key.pub or the identity/issuer (defaults from the suite's README), trusted_root.json.
/// </summary>
public sealed class ConformanceTests
{
    private const string DefaultIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    private static string Suite => Path.Combine(TestPaths.FixturesRoot, "sigstore-conformance", "bundle-verify");

    public static TheoryData<string> Cases() => [.. Directory.GetDirectories(Suite).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_case_gives_its_expected_verdict(string name)
    {
        var verdict = Verify(name);
        Assert.True(verdict.Verified == !name.EndsWith("_fail", StringComparison.Ordinal), $"{name}: {verdict.Reason}");
    }

    [Fact]
    public void Every_vendored_case_is_complete()
    {
        Assert.NotEmpty(Cases());
        foreach (var name in Cases())
        {
            Assert.True(File.Exists(Path.Combine(Suite, name, "bundle.sigstore.json")), name);
            Assert.True(File.Exists(Path.Combine(Suite, name, "README")), name);
        }
    }

    [Theory]
    [InlineData("dsse-statement-missing-type_fail", "_type is missing")]
    [InlineData("dsse-statement-unknown-type_fail", "https://in-toto.io/Statement/v2")]
    [InlineData("dsse-with-hashedrekord-mismatch-sig_fail", "transparency log entry records another")]
    [InlineData("dsse-with-hashedrekord-invalid-sig_fail", "does not verify with its certificate's key")]
    [InlineData("rekor2-dsse-invalid-sig_fail", "does not verify with its certificate's key")]
    [InlineData("rekor2-dsse-mismatch-envelope_fail", "transparency log entry records another")]
    [InlineData("rekor2-dsse-mismatch-sig_fail", "transparency log entry records another")]
    [InlineData("rekor2-multiple-timestamps-one-outside-cert-validity_fail", "the signature was made at 2025-07-15 10:33:31Z, outside the certificate's validity")]
    public void A_failing_case_fails_for_its_own_reason(string name, string reason)
    {
        var verdict = Verify(name);
        Assert.False(verdict.Verified);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    /// <summary>The passing case stops passing when any one proof in it is broken: the checks are not vacuous.</summary>
    [Theory]
    [InlineData("\"sig\": \"MEUCIBb8Pe4", "\"sig\": \"MEUCIBb9Pe4", "does not verify")]
    [InlineData("\\n\\n\\u2014 rekor.test f/sXlDBFAiEA4", "\\n\\n\\u2014 rekor.test f/sXlDBFAiEA5", "checkpoint")]
    [InlineData("\"rootHash\": \"hLUIZULa", "\"rootHash\": \"hLUIZULb", "inclusion proof")]
    [InlineData("\"treeSize\": \"1\"", "\"treeSize\": \"2\"", "inclusion proof")]
    public void The_passing_case_fails_once_altered(string from, string to, string reason)
    {
        AssertFailsOnceAltered("intoto-canonical-log-entry", from, to, reason);
    }

    /// <summary>
    /// The Rekor v2 case: no SET, so its time is the RFC 3161 timestamp's; the log is named by its note key id and
    /// signs its checkpoint with Ed25519; the entry is a dsse 0.0.2 body. Break any one and it fails.
    /// </summary>
    [Theory]
    [InlineData("\"signedTimestamp\":\"MIIC1DADAgEAMIICywYJ", "\"signedTimestamp\":\"MIIC1DADAgEAMIICywYK", "RFC 3161 timestamp")]
    [InlineData("8w1amVmcxxHofaeiQdnXseduy", "8w1amVmcxxHofaeiQdnXsedux", "checkpoint")]
    [InlineData("\"keyId\":\"8w1amZ2S5mJIQkQmPxdMuOrL", "\"keyId\":\"8w1amZ2S5mJIQkQmPxdMuOrM", "does not name")]
    [InlineData("\"sig\":\"MEYCIQD81HJEJF49", "\"sig\":\"MEYCIQD81HJEJF48", "does not verify")]
    public void The_rekor_v2_case_fails_once_altered(string from, string to, string reason)
    {
        AssertFailsOnceAltered("rekor2-dsse-happy-path", from, to, reason);
    }

    /// <summary>Its first timestamp alone is a valid Rekor v2 hashedrekord 0.0.2 signature: the case fails only for the second one.</summary>
    [Fact]
    public void The_multiple_timestamps_case_passes_with_its_first_timestamp_alone()
    {
        var verdict = Verify("rekor2-multiple-timestamps-one-outside-cert-validity_fail", bytes =>
        {
            var bundle = System.Text.Json.Nodes.JsonNode.Parse(bytes)!;
            bundle["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]!.AsArray().RemoveAt(1);
            return System.Text.Encoding.UTF8.GetBytes(bundle.ToJsonString());
        });
        Assert.True(verdict.Verified, verdict.Reason);
    }

    /// <summary>
    /// The rekor2 dsse _fail cases' RFC 3161 timestamp verifies for the envelope's signature under the staging root
    /// (the READMEs: "we don't want timestamp failures"). The mismatch cases' envelopes verify with their certificate's
    /// key at a time inside its validity, so they are refused at the log entry alone. invalid-sig carries another
    /// signing's signature and timestamp (20:26:11Z, after its certificate expired): refused at the signature, first.
    /// </summary>
    [Theory]
    [InlineData("rekor2-dsse-invalid-sig_fail", false)]
    [InlineData("rekor2-dsse-mismatch-envelope_fail", true)]
    [InlineData("rekor2-dsse-mismatch-sig_fail", true)]
    public void A_rekor_v2_dsse_failing_case_has_a_valid_timestamp(string name, bool envelopeVerifies)
    {
        var bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(Suite, name, "bundle.sigstore.json")));
        var root = TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(Suite, "..", "trusted_root.staging.json")));
        var signature = bundle.Envelope!.Signatures[0];
        var signedAt = SignedTimestamp.Verify(Assert.Single(bundle.Timestamps!), signature, root);
        var validity = (new DateTimeOffset(bundle.Certificate!.NotBefore.ToUniversalTime()), new DateTimeOffset(bundle.Certificate.NotAfter.ToUniversalTime()));
        Assert.Equal(envelopeVerifies, signedAt >= validity.Item1 && signedAt <= validity.Item2);
        Assert.Equal(envelopeVerifies, VerificationKey.FromCertificate(bundle.Certificate).Verify(bundle.Envelope.PreAuthenticationEncoding(), signature));
    }

    [Fact]
    public void The_passing_case_fails_for_another_artifact_or_key()
    {
        var dir = Path.Combine(Suite, "intoto-canonical-log-entry");
        var bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(dir, "bundle.sigstore.json")));
        var root = TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(dir, "trusted_root.json")));
        var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(dir, "key.pub")));
        var other = Digest.Parse("sha256:" + new string('0', 64));
        var wrongSubject = new SignatureVerifier(new SignaturePolicy("key key.pub", key, null, null, root)).Verify(bundle, other);
        Assert.Equal(RefusalKind.OtherSubject, wrongSubject.Refusal);
        var otherKey = VerificationKey.FromPem(File.ReadAllText(Path.Combine(Suite, "dsse-statement-missing-type_fail", "key.pub")));
        var wrongKey = new SignatureVerifier(new SignaturePolicy("key other.pub", otherKey, null, null, root)).Verify(bundle, Digest.Parse("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"));
        Assert.False(wrongKey.Verified);
        Assert.Contains("other.pub", wrongKey.Reason, StringComparison.Ordinal);
    }

    private static void AssertFailsOnceAltered(string name, string from, string to, string reason)
    {
        var verdict = Verify(name, bytes =>
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.Contains(from, text, StringComparison.Ordinal);
            return System.Text.Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
        });
        Assert.False(verdict.Verified);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    internal static Verdict Verify(string name, Func<byte[], byte[]>? alterBundle = null)
    {
        var dir = Path.Combine(Suite, name);
        string Optional(string file, string fallback) => File.Exists(Path.Combine(dir, file)) ? File.ReadAllText(Path.Combine(dir, file)).Trim() : fallback;
        var artifact = File.ReadAllBytes(File.Exists(Path.Combine(dir, "artifact")) ? Path.Combine(dir, "artifact") : Path.Combine(Suite, "..", "a.txt"));
        // The suite's default is the public-good production root (vendored from sigstore-python, see SOURCE.md); the
        // rekor2 cases were made on sigstore's staging instance and are read with the suite's staging root.
        var rootFile = File.Exists(Path.Combine(dir, "trusted_root.json")) ? Path.Combine(dir, "trusted_root.json")
            : Path.Combine(Suite, "..", name.StartsWith("rekor2-", StringComparison.Ordinal) ? "trusted_root.staging.json" : "trusted_root.public-good.json");
        var root = TrustedRoot.Parse(File.ReadAllBytes(rootFile));
        var policy = File.Exists(Path.Combine(dir, "key.pub"))
            ? new SignaturePolicy("key key.pub", VerificationKey.FromPem(File.ReadAllText(Path.Combine(dir, "key.pub"))), null, null, root)
            : new SignaturePolicy("the suite's identity", null, Optional("identity", DefaultIdentity), Optional("issuer", DefaultIssuer), root);
        var bytes = File.ReadAllBytes(Path.Combine(dir, "bundle.sigstore.json"));
        bytes = alterBundle?.Invoke(bytes) ?? bytes;
        var verifier = new SignatureVerifier(policy);
        try
        {
            return verifier.Verify(SigstoreBundle.Parse(bytes), Digest.Parse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(artifact))));
        }
        catch (SignatureRefusedException e)
        {
            return Verdict.Refuse(e.Kind, e.Message);
        }
    }
}
