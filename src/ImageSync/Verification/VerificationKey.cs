using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImageSync.Verification;

/// <summary>
/// A public key that checks signatures the way cosign and sigstore make them: ECDSA (P-256/384/521, ASN.1 DER
/// signatures over SHA-256/384/512 of the message), RSA (PKCS#1 v1.5 over SHA-256) and Ed25519 (pure, over the
/// message itself). Read from PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo, what <c>cosign generate-key-pair</c>
/// writes) or from a certificate.
/// </summary>
public sealed class VerificationKey
{
    private const string Ed25519Oid = "1.3.101.112";

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly byte[]? _ed25519;

    private VerificationKey(byte[] spki, ECDsa? ecdsa, RSA? rsa, byte[]? ed25519, string kind)
    {
        SubjectPublicKeyInfo = spki;
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519 = ed25519;
        Kind = kind;
    }

    /// <summary>The DER SubjectPublicKeyInfo: what a bundle's key hint and a log's key id are the SHA-256 of.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>"ECDSA P-256", "RSA 4096", "Ed25519": for messages.</summary>
    public string Kind { get; }

    public bool IsEd25519 => _ed25519 is not null;

    /// <summary>SHA-256 of the SubjectPublicKeyInfo, as Rekor and trusted_root.json name a key.</summary>
    public byte[] KeyId => SHA256.HashData(SubjectPublicKeyInfo);

    public static VerificationKey FromPem(string pem)
    {
        var fields = PemEncoding.TryFind(pem, out var found) ? found : throw new FormatException("no PEM block");
        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        return label switch
        {
            "PUBLIC KEY" => FromSubjectPublicKeyInfo(der),
            "CERTIFICATE" => FromCertificate(X509CertificateLoader.LoadCertificate(der)),
            _ => throw new FormatException($"a PEM \"{label}\" block is not a public key (expected \"PUBLIC KEY\")"),
        };
    }

    public static VerificationKey FromCertificate(X509Certificate2 certificate) =>
        FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());

    public static VerificationKey FromSubjectPublicKeyInfo(byte[] spki)
    {
        var algorithm = ReadAlgorithm(spki, out var keyBits);
        switch (algorithm)
        {
            case Ed25519Oid:
                if (keyBits.Length != 32)
                {
                    throw new FormatException("an Ed25519 public key is 32 bytes");
                }
                return new VerificationKey(spki, null, null, keyBits, "Ed25519");
            case "1.2.840.10045.2.1":
                var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
                return new VerificationKey(spki, ecdsa, null, null, $"ECDSA P-{ecdsa.KeySize}");
            case "1.2.840.113549.1.1.1":
                var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(spki, out _);
                if (rsa.KeySize < 2048)
                {
                    throw new FormatException($"an RSA key of {rsa.KeySize} bits is too weak (at least 2048)");
                }
                return new VerificationKey(spki, null, rsa, null, $"RSA {rsa.KeySize}");
            default:
                throw new FormatException($"unsupported public key algorithm {algorithm} (ECDSA, RSA or Ed25519)");
        }
    }

    /// <summary>Checks a signature over <paramref name="message"/>; false for a malformed signature too.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (_ed25519 is not null)
        {
            return Ed25519.Verify(_ed25519, message, signature);
        }
        try
        {
            // cosign hashes with SHA-256 whatever the curve (its LoadVerifier(key, crypto.SHA256)); sigstore bundles
            // pair P-384 with SHA-384 and P-521 with SHA-512 (protobuf-specs PublicKeyDetails). Either binds the message.
            return _ecdsa is not null
                ? _ecdsa.VerifyData(message, signature, HashFor(_ecdsa.KeySize), DSASignatureFormat.Rfc3279DerSequence)
                    || (_ecdsa.KeySize != 256 && _ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                : _rsa!.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks a signature given only the message's SHA-256 (a bundle's messageSignature names the artifact by digest).
    /// Ed25519 signs the message itself, so it cannot be checked this way.
    /// </summary>
    public bool VerifyDigest(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _ecdsa is not null ? _ecdsa.VerifyHash(sha256, signature, DSASignatureFormat.Rfc3279DerSequence)
                : _rsa is not null && _rsa.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool SameKeyAs(VerificationKey other) => SubjectPublicKeyInfo.AsSpan().SequenceEqual(other.SubjectPublicKeyInfo);

    private static HashAlgorithmName HashFor(int curveBits) => curveBits switch
    {
        384 => HashAlgorithmName.SHA384,
        521 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    private static string ReadAlgorithm(byte[] spki, out byte[] keyBits)
    {
        try
        {
            var reader = new AsnReader(spki, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = sequence.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            keyBits = sequence.ReadBitString(out _);
            sequence.ThrowIfNotEmpty();
            return oid;
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER SubjectPublicKeyInfo: {e.Message}", e);
        }
    }
}
