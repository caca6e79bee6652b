using System.Formats.Asn1;
using System.Security.Cryptography;
using ImageSync.Verification;

namespace ImageSync.Signing;

/// <summary>
/// The mirror's private key, signing as cosign does with a key (<c>cosign sign --key</c>): ECDSA (any NIST curve,
/// SHA-256 whatever the curve, ASN.1 DER signatures: cosign's <c>LoadSignerVerifier(key, crypto.SHA256)</c>), RSA
/// (PKCS#1 v1.5 over SHA-256, at least 2048 bits) and Ed25519 (pure, over the payload). Read from an unencrypted PEM:
/// <c>PRIVATE KEY</c> (PKCS#8, what <c>openssl genpkey</c> writes), <c>EC PRIVATE KEY</c> (SEC 1) or
/// <c>RSA PRIVATE KEY</c> (PKCS#1). It is a secret: no message here ever quotes the text it was read from.
/// </summary>
public sealed class SigningKey
{
    private const string Ed25519Oid = "1.3.101.112";

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly byte[]? _ed25519Seed;

    private SigningKey(ECDsa? ecdsa, RSA? rsa, byte[]? ed25519Seed)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519Seed = ed25519Seed;
        PublicKey = VerificationKey.FromSubjectPublicKeyInfo(ecdsa?.ExportSubjectPublicKeyInfo() ?? rsa?.ExportSubjectPublicKeyInfo() ?? Ed25519Spki(Verification.Ed25519.PublicKey(ed25519Seed)));
    }

    /// <summary>The matching public key: what consumers put in their verify policy, and how a signature already made is recognised.</summary>
    public VerificationKey PublicKey { get; }

    /// <summary>"ECDSA P-256", "RSA 3072", "Ed25519".</summary>
    public string Kind => PublicKey.Kind;

    /// <exception cref="FormatException">Not a usable private key; the message says why without quoting the key.</exception>
    public static SigningKey FromPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException("it holds no PEM block (expected -----BEGIN PRIVATE KEY-----)");
        }
        var label = pem[fields.Label];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            throw new FormatException($"its PEM \"{label}\" block is not valid base64");
        }
        try
        {
            return label switch
            {
                "PRIVATE KEY" => FromPkcs8(der),
                "EC PRIVATE KEY" => Ecdsa(key => key.ImportECPrivateKey(der, out _)),
                "RSA PRIVATE KEY" => Rsa(key => key.ImportRSAPrivateKey(der, out _)),
                "ENCRYPTED PRIVATE KEY" => throw new FormatException("it holds an encrypted PKCS#8 key; give the key unencrypted (the variable itself is the secret)"),
                "ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN PRIVATE KEY" => throw new FormatException(
                    "it holds a cosign-encrypted key (cosign generate-key-pair), which imagesync does not decrypt; give an unencrypted PEM key (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)"),
                "PUBLIC KEY" => throw new FormatException("it holds a public key; signing needs the private key (PEM \"PRIVATE KEY\")"),
                _ => throw new FormatException($"a PEM \"{label}\" block is not a private key (expected \"PRIVATE KEY\", \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\")"),
            };
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            // The framework's own words, never the key's bytes.
            throw new FormatException($"its PEM \"{label}\" block is not a valid private key ({e.GetType().Name})");
        }
    }

    /// <summary>The signature over <paramref name="message"/>, as cosign makes it with this kind of key.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) =>
        _ecdsa is not null ? _ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
        : _rsa is not null ? _rsa.SignData(message.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : Verification.Ed25519.Sign(_ed25519Seed, message);

    private static SigningKey FromPkcs8(byte[] der)
    {
        // PrivateKeyInfo (RFC 5208): version, AlgorithmIdentifier, OCTET STRING privateKey.
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        var oid = info.ReadSequence().ReadObjectIdentifier();
        switch (oid)
        {
            case "1.2.840.10045.2.1":
                return Ecdsa(key => key.ImportPkcs8PrivateKey(der, out _));
            case "1.2.840.113549.1.1.1":
                return Rsa(key => key.ImportPkcs8PrivateKey(der, out _));
            case Ed25519Oid:
                // RFC 8410 section 7: the privateKey OCTET STRING wraps CurvePrivateKey, itself an OCTET STRING of the 32-byte seed.
                var seed = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
                return seed.Length == 32 ? new SigningKey(null, null, seed) : throw new FormatException("its Ed25519 private key is not 32 bytes");
            default:
                throw new FormatException($"its key algorithm {oid} is not ECDSA, RSA or Ed25519");
        }
    }

    private static SigningKey Ecdsa(Action<ECDsa> import)
    {
        var key = ECDsa.Create();
        import(key);
        return new SigningKey(key, null, null);
    }

    private static SigningKey Rsa(Action<RSA> import)
    {
        var key = RSA.Create();
        import(key);
        return key.KeySize >= 2048 ? new SigningKey(null, key, null) : throw new FormatException($"its RSA key of {key.KeySize} bits is too weak (at least 2048)");
    }

    private static byte[] Ed25519Spki(byte[] publicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519Oid);
            }
            writer.WriteBitString(publicKey);
        }
        return writer.Encode();
    }
}
