using System.Security.Cryptography;
using ImageSync.Signing;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Signing;

/// <summary>The mirror's private key: each PEM form cosign users hold, signatures checked by .NET and by RFC 8032's vectors, and the refusals.</summary>
public sealed class SigningKeyTests
{
    private static readonly byte[] Message = "{\"critical\":{}}"u8.ToArray();

    [Fact]
    public void An_ecdsa_p256_key_in_pkcs8_and_sec1_signs_with_sha256_and_der_signatures_as_cosign_does()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var pem in new[] { ecdsa.ExportPkcs8PrivateKeyPem(), ecdsa.ExportECPrivateKeyPem() })
        {
            var key = SigningKey.FromPem(pem);

            var signature = key.Sign(Message);

            Assert.Equal("ECDSA P-256", key.Kind);
            Assert.True(ecdsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            Assert.True(key.PublicKey.Verify(Message, signature));
        }
    }

    [Fact]
    public void An_rsa_key_in_pkcs1_signs_pkcs1_v15_over_sha256()
    {
        using var rsa = RSA.Create(2048);
        var key = SigningKey.FromPem(rsa.ExportRSAPrivateKeyPem());

        var signature = key.Sign(Message);

        Assert.Equal("RSA 2048", key.Kind);
        Assert.True(rsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static TheoryData<int> Rfc8032Vectors() => [0, 1, 2];

    /// <summary>RFC 8032 section 7.1's secret keys, wrapped in PKCS#8 as RFC 8410 section 7 shows, give the RFC's public keys and signatures.</summary>
    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void An_ed25519_key_gives_the_rfc_8032_signature(int vector)
    {
        var (secret, publicKey, message, expected) = Vectors()[vector];
        var pkcs8 = Convert.FromHexString("302e020100300506032b657004220420").Concat(secret).ToArray();
        var key = SigningKey.FromPem(PemEncoding.WriteString("PRIVATE KEY", pkcs8));

        Assert.Equal("Ed25519", key.Kind);
        Assert.Equal(publicKey, key.PublicKey.SubjectPublicKeyInfo[^32..]);
        Assert.Equal(expected, key.Sign(message));
    }

    [Fact]
    public void A_weak_rsa_key_is_refused()
    {
        using var rsa = RSA.Create(1024);
        var e = Assert.Throws<FormatException>(() => SigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem()));
        Assert.Contains("1024 bits is too weak", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUBLIC KEY", "it holds a public key")]
    [InlineData("ENCRYPTED SIGSTORE PRIVATE KEY", "cosign-encrypted key")]
    [InlineData("ENCRYPTED PRIVATE KEY", "encrypted PKCS#8 key")]
    [InlineData("CERTIFICATE", "is not a private key")]
    [InlineData("PRIVATE KEY", "is not a valid private key")]
    public void What_is_no_usable_private_key_is_refused_without_quoting_it(string label, string reason)
    {
        var body = TestImage.RandomBytes("not-a-key-" + label, 96);
        var pem = PemEncoding.WriteString(label, body);

        var e = Assert.Throws<FormatException>(() => SigningKey.FromPem(pem));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(body)[..16], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_without_a_pem_block_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => SigningKey.FromPem("MHcCAQEEIBx2secretsecret"));
        Assert.Equal("it holds no PEM block (expected -----BEGIN PRIVATE KEY-----)", e.Message);
    }

    private static List<(byte[] Secret, byte[] Public, byte[] Message, byte[] Signature)> Vectors()
    {
        var result = new List<(byte[], byte[], byte[], byte[])>();
        var values = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.FixturesRoot, "rfc8032", "ed25519-section-7.1.txt")).Where(l => !l.StartsWith('#')).Append("TEST END"))
        {
            if (line.StartsWith("TEST ", StringComparison.Ordinal))
            {
                if (values.Count > 0)
                {
                    result.Add((Convert.FromHexString(values["SECRET KEY"]), Convert.FromHexString(values["PUBLIC KEY"]), Convert.FromHexString(values["MESSAGE"]), Convert.FromHexString(values["SIGNATURE"])));
                }
                values.Clear();
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            values[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return result;
    }
}
