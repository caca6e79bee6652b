using ImageSync.Tests.Support;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>Our RFC 8032 verifier against the RFC's own test vectors (Fixtures/rfc8032), and what it must refuse.</summary>
public sealed class Ed25519Tests
{
    private static readonly string VectorFile = Path.Combine(TestPaths.FixturesRoot, "rfc8032", "ed25519-section-7.1.txt");

    public static TheoryData<string> Vectors() => [.. Read().Keys];

    private static Dictionary<string, (byte[] Key, byte[] Message, byte[] Signature)> Read()
    {
        var vectors = new Dictionary<string, (byte[], byte[], byte[])>();
        string? name = null;
        var values = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(VectorFile).Where(l => !l.StartsWith('#')).Append("TEST END"))
        {
            if (line.StartsWith("TEST ", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    vectors[name] = (Convert.FromHexString(values["PUBLIC KEY"]), Convert.FromHexString(values["MESSAGE"]), Convert.FromHexString(values["SIGNATURE"]));
                }
                name = line;
                values.Clear();
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            values[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return vectors;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Accepts_the_rfc_8032_vector(string vector)
    {
        var (key, message, signature) = Read()[vector];
        Assert.True(Ed25519.Verify(key, message, signature));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Refuses_the_vector_with_any_one_byte_changed(string vector)
    {
        var (key, message, signature) = Read()[vector];
        for (var i = 0; i < signature.Length; i += 7)
        {
            var altered = (byte[])signature.Clone();
            altered[i] ^= 0x01;
            Assert.False(Ed25519.Verify(key, message, altered), $"signature byte {i} flipped");
        }
        Assert.False(Ed25519.Verify(key, [.. message, 0x00], signature));
        var otherKey = (byte[])key.Clone();
        otherKey[0] ^= 0x01;
        Assert.False(Ed25519.Verify(otherKey, message, signature));
    }

    [Fact]
    public void Refuses_a_non_canonical_s_and_wrong_lengths()
    {
        var (key, message, signature) = Read()["TEST 2"];
        // S + L encodes the same scalar mod L; RFC 8032 5.1.7 step 1 says to refuse S >= L (malleability).
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true) + (System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture));
        var malleated = signature[..32].Concat(s.ToByteArray(isUnsigned: true).Concat(new byte[32]).Take(32)).ToArray();
        Assert.False(Ed25519.Verify(key, message, malleated));
        Assert.False(Ed25519.Verify(key.AsSpan(0, 31), message, signature));
        Assert.False(Ed25519.Verify(key, message, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void A_pem_ed25519_public_key_verifies_through_verification_key()
    {
        var (key, message, signature) = Read()["TEST 3"];
        // RFC 8410 SubjectPublicKeyInfo for id-Ed25519 (1.3.101.112), as `openssl pkey -pubout` writes it.
        var spki = Convert.FromHexString("302a300506032b6570032100").Concat(key).ToArray();
        var pem = new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", spki));
        var parsed = VerificationKey.FromPem(pem);
        Assert.Equal("Ed25519", parsed.Kind);
        Assert.True(parsed.Verify(message, signature));
        Assert.False(parsed.Verify([.. message, 1], signature));
    }
}
