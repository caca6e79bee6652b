using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ImageSync.Verification;

/// <summary>
/// A keyless signer's certificate, checked as cosign checks Fulcio's: chained to a CA of the trusted root at the
/// signing time (which must fall inside the leaf's validity and the CA's validFor), for code signing, and naming the
/// expected identity (a SAN: URI or email) and OIDC issuer (Fulcio's extension 1.3.6.1.4.1.57264.1.8, a DER
/// UTF8String, or the older 1.3.6.1.4.1.57264.1.1, raw text). Its SCTs are <see cref="CertificateTransparency"/>'s.
/// </summary>
internal static class FulcioCertificate
{
    private const string IssuerV2 = "1.3.6.1.4.1.57264.1.8";
    private const string IssuerV1 = "1.3.6.1.4.1.57264.1.1";
    private const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    /// <returns>The leaf's issuer (for its SCTs: they sign the issuer's key hash).</returns>
    public static X509Certificate2 CheckChain(X509Certificate2 leaf, TrustedRoot root, DateTimeOffset signedAt)
    {
        if (signedAt < leaf.NotBefore.ToUniversalTime() || signedAt > leaf.NotAfter.ToUniversalTime())
        {
            throw new SignatureRefusedException(RefusalKind.BadSignature, $"the signature was made at {signedAt:u}, outside the certificate's validity ({leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u})");
        }
        foreach (var ca in root.CertificateAuthorities)
        {
            if (ca.Issuer(leaf, signedAt, CodeSigning) is { } issuer)
            {
                return issuer;
            }
        }
        throw new SignatureRefusedException(RefusalKind.OtherSigner, $"the signing certificate (issued by {Output.Untrusted.Line(leaf.Issuer)}) does not chain to a certificate authority of the trusted root valid at {signedAt:u}");
    }

    /// <summary>The identity (the first URI or email SAN) and the issuer, as the policy compares them.</summary>
    public static (string? Identity, string? Issuer) Identity(X509Certificate2 leaf)
    {
        string? identity = null;
        if (leaf.Extensions["2.5.29.17"] is { } san)
        {
            var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData && identity is null)
            {
                var tag = names.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 1 or 6)
                {
                    identity = names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, tag.TagValue));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        string? issuer = null;
        if (leaf.Extensions[IssuerV2] is { } v2)
        {
            issuer = new AsnReader(v2.RawData, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.UTF8String);
        }
        else if (leaf.Extensions[IssuerV1] is { } v1)
        {
            issuer = Encoding.UTF8.GetString(v1.RawData);
        }
        return (identity, issuer);
    }
}
