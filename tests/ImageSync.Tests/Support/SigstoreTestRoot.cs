using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImageSync.Verification;

namespace ImageSync.Tests.Support;

/// <summary>
/// A private sigstore made with .NET's crypto, shaped as Fulcio and Rekor v1 make theirs: a root and intermediate
/// CA (P-384), ten-minute leaf certificates (P-256) with a URI SAN, the issuer extensions 1.3.6.1.4.1.57264.1.1 and
/// .1.8 and code signing EKU; a log key that signs hashedrekord 0.0.1 entries' SETs (canonical JSON of body,
/// integratedTime, logID, logIndex); and the trusted_root.json that names them.
/// </summary>
internal sealed class SigstoreTestRoot : IDisposable
{
    public const string Identity = "https://github.com/istio/istio/.github/workflows/release.yml@refs/heads/master";
    public const string Issuer = "https://token.actions.githubusercontent.com";

    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    public SigstoreTestRoot(DateTimeOffset? notBefore = null)
    {
        var start = notBefore ?? DateTimeOffset.UtcNow.AddDays(-30);
        var rootRequest = new CertificateRequest("O=sigstore.test, CN=sigstore", _rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = rootRequest.CreateSelfSigned(start, start.AddYears(10));
        var intermediateRequest = new CertificateRequest("O=sigstore.test, CN=sigstore-intermediate", _intermediateKey, HashAlgorithmName.SHA384);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        Intermediate = intermediateRequest.Create(Root, start, start.AddYears(10), [1]).CopyWithPrivateKey(_intermediateKey);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public ECDsa LogKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] LogId => SHA256.HashData(LogKey.ExportSubjectPublicKeyInfo());

    /// <summary>A Fulcio-like leaf for <paramref name="key"/>, valid ten minutes from <paramref name="notBefore"/>.</summary>
    public X509Certificate2 Leaf(ECDsa key, DateTimeOffset notBefore, string identity = Identity, string issuer = Issuer)
    {
        var request = new CertificateRequest("", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        var san = new AsnWriter(AsnEncodingRules.DER);
        using (san.PushSequence())
        {
            san.WriteCharacterString(UniversalTagNumber.IA5String, identity, new Asn1Tag(TagClass.ContextSpecific, 6));
        }
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", san.Encode(), true));
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.57264.1.1", Encoding.UTF8.GetBytes(issuer), false));
        var v2 = new AsnWriter(AsnEncodingRules.DER);
        v2.WriteCharacterString(UniversalTagNumber.UTF8String, issuer);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.57264.1.8", v2.Encode(), false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return request.Create(Intermediate, notBefore, notBefore.AddMinutes(10), serial);
    }

    public byte[] TrustedRootJson(DateTimeOffset? logValidFrom = null) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
          "tlogs": [{ "baseUrl": "https://rekor.test", "hashAlgorithm": "SHA2_256",
            "publicKey": { "rawBytes": "{{Convert.ToBase64String(LogKey.ExportSubjectPublicKeyInfo())}}", "keyDetails": "PKIX_ECDSA_P256_SHA_256",
              "validFor": { "start": "{{(logValidFrom ?? DateTimeOffset.UtcNow.AddDays(-30)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}" } },
            "logId": { "keyId": "{{Convert.ToBase64String(LogId)}}" } }],
          "certificateAuthorities": [{ "subject": { "organization": "sigstore.test", "commonName": "sigstore" }, "uri": "https://fulcio.test",
            "certChain": { "certificates": [{ "rawBytes": "{{Convert.ToBase64String(Intermediate.RawData)}}" }, { "rawBytes": "{{Convert.ToBase64String(Root.RawData)}}" }] },
            "validFor": { "start": "{{Root.NotBefore.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}" } }],
          "ctlogs": [],
          "timestampAuthorities": []
        }
        """));

    public TrustedRoot Trusted => TrustedRoot.Parse(TrustedRootJson());

    /// <summary>A hashedrekord 0.0.1 body, as Rekor v1 canonicalizes it, for a signature over <paramref name="sha256"/> by <paramref name="certificate"/>.</summary>
    public static byte[] HashedRekord(byte[] sha256, byte[] signature, X509Certificate2 certificate) => Encoding.UTF8.GetBytes(
        $"{{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{{\"data\":{{\"hash\":{{\"algorithm\":\"sha256\",\"value\":\"{Convert.ToHexStringLower(sha256)}\"}}}},\"signature\":{{\"content\":\"{Convert.ToBase64String(signature)}\",\"publicKey\":{{\"content\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(certificate.ExportCertificatePem() + "\n"))}\"}}}}}}}}");

    /// <summary>cosign's dev.sigstore.cosign/bundle annotation: the SET over the entry, signed by the log key.</summary>
    public string CosignBundleAnnotation(byte[] body, long integratedTime, long logIndex = 42, ECDsa? signWith = null)
    {
        var promise = string.Create(CultureInfo.InvariantCulture, $"{{\"body\":\"{Convert.ToBase64String(body)}\",\"integratedTime\":{integratedTime},\"logID\":\"{Convert.ToHexStringLower(LogId)}\",\"logIndex\":{logIndex}}}");
        var set = (signWith ?? LogKey).SignData(Encoding.UTF8.GetBytes(promise), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return string.Create(CultureInfo.InvariantCulture, $"{{\"SignedEntryTimestamp\":\"{Convert.ToBase64String(set)}\",\"Payload\":{{\"body\":\"{Convert.ToBase64String(body)}\",\"integratedTime\":{integratedTime},\"logIndex\":{logIndex},\"logID\":\"{Convert.ToHexStringLower(LogId)}\"}}}}");
    }

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        LogKey.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
    }
}
