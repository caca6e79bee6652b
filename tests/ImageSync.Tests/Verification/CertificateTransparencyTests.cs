using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ImageSync.References;
using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>
/// SCTs on real material: the production Fulcio certificate in the conformance suite's
/// dsse-with-hashedrekord-happy-path carries an SCT from ctfe.sigstore.dev/2022, which the public-good trusted root
/// names. It verifies as it is (ConformanceTests); here the root is changed so that it must not.
/// </summary>
public sealed class CertificateTransparencyTests
{
    private const string Identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private static readonly string Suite = Path.Combine(TestPaths.FixturesRoot, "sigstore-conformance");
    private static readonly Digest Statement = Digest.Parse("sha256:70ed0277251d0cf2eb5eda8b574ce012de485e39a3de1fb4b1e0717e14b02d6a");

    private static JsonNode Root() => JsonNode.Parse(File.ReadAllText(Path.Combine(Suite, "trusted_root.public-good.json")))!;

    private static Verdict Verify(JsonNode root)
    {
        var trusted = TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
        var bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(Suite, "bundle-verify", "dsse-with-hashedrekord-happy-path", "bundle.sigstore.json")));
        return new SignatureVerifier(new SignaturePolicy("the suite's identity", null, Identity, Issuer, trusted)).Verify(bundle, Statement);
    }

    [Fact]
    public void The_real_sct_verifies_with_the_ct_log_of_the_trusted_root()
    {
        var verdict = Verify(Root());
        Assert.True(verdict.Verified, verdict.Reason);
    }

    [Fact]
    public void Without_the_ct_log_that_signed_it_the_sct_counts_for_nothing()
    {
        var root = Root();
        var ctlogs = root["ctlogs"]!.AsArray();
        ctlogs.RemoveAt(ctlogs.Select((l, i) => (l, i)).Single(x => x.l!["baseUrl"]!.GetValue<string>().EndsWith("/2022", StringComparison.Ordinal)).i);

        var verdict = Verify(root);

        Assert.Equal(RefusalKind.BadSignature, verdict.Refusal);
        Assert.Equal("no signed certificate timestamp in the signing certificate verifies with a CT log of the trusted root", verdict.Reason);
    }

    /// <summary>The log's id kept, its key replaced: the SCT's signature is what is checked, not the id it names.</summary>
    [Fact]
    public void A_ct_log_with_another_key_under_the_same_id_does_not_verify_the_sct()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = Root();
        foreach (var log in root["ctlogs"]!.AsArray())
        {
            log!["publicKey"]!["rawBytes"] = Convert.ToBase64String(other.ExportSubjectPublicKeyInfo());
        }

        Assert.Contains("no signed certificate timestamp", Verify(root).Reason, StringComparison.Ordinal);
    }

    /// <summary>A certificate without SCTs (our private sigstore's) is refused once the root names a CT log.</summary>
    [Fact]
    public void A_certificate_without_an_sct_is_refused_when_the_root_names_ct_logs()
    {
        using var sigstore = new SigstoreTestRoot();
        using var ephemeral = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signedAt = DateTimeOffset.UtcNow.AddMinutes(-30);
        var root = JsonNode.Parse(sigstore.TrustedRootJson())!;
        root["ctlogs"] = Root()["ctlogs"]!.DeepClone();
        var trusted = TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
        var leaf = sigstore.Leaf(ephemeral, signedAt.AddMinutes(-1));
        var payload = CosignArtifacts.Payload(Statement.ToString(), "docker.io/istio/pilot");
        var signature = CosignArtifacts.Sign(ephemeral, payload);
        var annotations = new Dictionary<string, string>
        {
            [CosignSignature.SignatureAnnotation] = Convert.ToBase64String(signature),
            [CosignSignature.CertificateAnnotation] = leaf.ExportCertificatePem(),
            [CosignSignature.BundleAnnotation] = sigstore.CosignBundleAnnotation(SigstoreTestRoot.HashedRekord(SHA256.HashData(payload), signature, leaf), signedAt.ToUnixTimeSeconds()),
        };
        var policy = new SignaturePolicy("identity", null, SigstoreTestRoot.Identity, SigstoreTestRoot.Issuer, trusted);

        var verdict = new SignatureVerifier(policy).Verify(CosignSignature.FromLayer(payload, annotations), Statement, "docker.io/istio/pilot");

        Assert.Equal("the signing certificate carries no signed certificate timestamp (SCT), which the trusted root's CT logs require", verdict.Reason);
    }
}
