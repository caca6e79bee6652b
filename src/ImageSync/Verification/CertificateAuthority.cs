using System.Security.Cryptography.X509Certificates;

namespace ImageSync.Verification;

/// <summary>A certificate authority (Fulcio): its chain, leaf-most first, root last, and validity.</summary>
public sealed record CertificateAuthority(string Uri, IReadOnlyList<X509Certificate2> Chain, ValidFor ValidFor);
