using System.Security.Cryptography.X509Certificates;

namespace ImageSync.Verification;

/// <summary>
/// One layer of a cosign tag-scheme <c>.sig</c> manifest (cosign's docs/specs/SIGNATURE_SPEC.md): the simple-signing
/// payload (the layer's bytes), the signature (<c>dev.cosignproject.cosign/signature</c>, base64), for keyless the
/// certificate and chain (<c>dev.sigstore.cosign/certificate</c>, <c>dev.sigstore.cosign/chain</c>, PEM), and the
/// Rekor entry (<c>dev.sigstore.cosign/bundle</c>).
/// </summary>
public sealed record CosignSignature(byte[] Payload, byte[] Signature, X509Certificate2? Certificate, TransparencyLogEntry? LogEntry)
{
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";
    public const string BundleAnnotation = "dev.sigstore.cosign/bundle";

    /// <summary>From a layer's payload and annotations; a missing or broken signature is refused as malformed.</summary>
    public static CosignSignature FromLayer(byte[] payload, IReadOnlyDictionary<string, string> annotations)
    {
        var signature = SignedJson.Base64(annotations.GetValueOrDefault(SignatureAnnotation), $"the {SignatureAnnotation} annotation");
        X509Certificate2? certificate = null;
        if (annotations.TryGetValue(CertificateAnnotation, out var pem) && pem.Length > 0)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(pem);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                throw new SignatureRefusedException(RefusalKind.Malformed, $"the {CertificateAnnotation} annotation is not a PEM certificate");
            }
        }
        var entry = annotations.TryGetValue(BundleAnnotation, out var bundle) && bundle.Length > 0
            ? TransparencyLogEntry.ReadCosignAnnotation(System.Text.Encoding.UTF8.GetBytes(bundle))
            : null;
        return new CosignSignature(payload, signature, certificate, entry);
    }
}
