using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImageSync.Verification;

/// <summary>A certificate authority (Fulcio, or a timestamp authority): its chain, leaf-most first, root last, and validity.</summary>
public sealed record CertificateAuthority(string Uri, IReadOnlyList<X509Certificate2> Chain, ValidFor ValidFor)
{
    /// <summary>
    /// The certificate that issued <paramref name="leaf"/> when the leaf chains to this authority's root at
    /// <paramref name="at"/> for the extended key usage <paramref name="usage"/> (no revocation: sigstore has none);
    /// null otherwise, or when the authority itself is not valid then.
    /// </summary>
    public X509Certificate2? Issuer(X509Certificate2 leaf, DateTimeOffset at, string usage)
    {
        if (!ValidFor.Contains(at))
        {
            return null;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        chain.ChainPolicy.CustomTrustStore.Add(Chain[^1]);
        chain.ChainPolicy.ExtraStore.AddRange(Chain.Take(Chain.Count - 1).ToArray());
        return chain.Build(leaf) && chain.ChainElements.Count > 1 ? X509CertificateLoader.LoadCertificate(chain.ChainElements[1].Certificate.RawData) : null;
    }
}
