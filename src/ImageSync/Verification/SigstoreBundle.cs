using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// A sigstore bundle (protobuf-specs, sigstore_bundle.proto; media types application/vnd.dev.sigstore.bundle.v0.3+json
/// and the older application/vnd.dev.sigstore.bundle+json;version=0.1/0.2): the verification material (a certificate,
/// a v0.1/0.2 certificate chain whose first entry is the leaf, or a public key hint), the log entries, and either a
/// messageSignature (a signature over an artifact named by digest) or a DSSE envelope; and the RFC 3161 timestamps
/// over its signature (DER TimeStampTokens).
/// </summary>
public sealed record SigstoreBundle(string MediaType, X509Certificate2? Certificate, string? KeyHint, IReadOnlyList<TransparencyLogEntry> LogEntries, (string Algorithm, byte[] Digest, byte[] Signature)? MessageSignature, DsseEnvelope? Envelope, IReadOnlyList<byte[]>? Timestamps = null)
{
    /// <summary>A bundle carries one or two; far more is not a bundle.</summary>
    public const int MaxTimestamps = 16;

    public const string MediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private static readonly string[] Known = [MediaTypeV03, "application/vnd.dev.sigstore.bundle+json;version=0.3", "application/vnd.dev.sigstore.bundle+json;version=0.2", "application/vnd.dev.sigstore.bundle+json;version=0.1"];

    public static SigstoreBundle Parse(byte[] json)
    {
        using var document = SignedJson.Parse(json, "the sigstore bundle");
        var root = document.RootElement;
        var mediaType = SignedJson.String(root, "mediaType") ?? "";
        if (!Known.Contains(mediaType, StringComparer.Ordinal))
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"the bundle's mediaType \"{Output.Untrusted.Line(mediaType)}\" is not a sigstore bundle version this verifier reads (0.1 to 0.3)");
        }
        var material = SignedJson.Element(root, "verificationMaterial") ?? throw new SignatureRefusedException(RefusalKind.Malformed, "the bundle has no verificationMaterial");
        var certificate = SignedJson.String(material, "certificate", "rawBytes")
            ?? (SignedJson.Element(material, "x509CertificateChain", "certificates") is { ValueKind: JsonValueKind.Array } chain && chain.GetArrayLength() > 0
                ? SignedJson.String(chain[0], "rawBytes") : null);
        var entries = SignedJson.Element(material, "tlogEntries") is { ValueKind: JsonValueKind.Array } tlog
            ? tlog.EnumerateArray().Select(TransparencyLogEntry.Read).ToList() : [];
        (string, byte[], byte[])? message = null;
        if (SignedJson.Element(root, "messageSignature") is { ValueKind: JsonValueKind.Object } m)
        {
            message = (SignedJson.String(m, "messageDigest", "algorithm") ?? "",
                SignedJson.Base64(SignedJson.String(m, "messageDigest", "digest"), "the messageSignature's digest"),
                SignedJson.Base64(SignedJson.String(m, "signature"), "the messageSignature's signature"));
        }
        var envelope = SignedJson.Element(root, "dsseEnvelope") is { ValueKind: JsonValueKind.Object } e ? DsseEnvelope.Read(e) : null;
        if ((message is null) == (envelope is null))
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, "the bundle must carry exactly one of messageSignature and dsseEnvelope");
        }
        X509Certificate2? leaf = null;
        if (certificate is not null)
        {
            try
            {
                leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
            }
            catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
            {
                throw new SignatureRefusedException(RefusalKind.Malformed, "the bundle's certificate is not a DER certificate");
            }
        }
        var timestamps = SignedJson.Element(material, "timestampVerificationData", "rfc3161Timestamps") is { ValueKind: JsonValueKind.Array } stamps
            ? stamps.EnumerateArray().Take(MaxTimestamps).Select((t, i) => SignedJson.Base64(SignedJson.String(t, "signedTimestamp"), $"rfc3161Timestamps[{i}].signedTimestamp")).ToList()
            : [];
        return new SigstoreBundle(mediaType, leaf, SignedJson.String(material, "publicKey", "hint"), entries, message, envelope, timestamps);
    }
}
