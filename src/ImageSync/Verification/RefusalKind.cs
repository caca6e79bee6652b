namespace ImageSync.Verification;

/// <summary>Why a signature did not let a digest through; each has its own one-line reason.</summary>
public enum RefusalKind
{
    /// <summary>No signature of a known format was found for the digest.</summary>
    NotSigned,

    /// <summary>Signed, but by another key, or by a certificate for another identity or issuer.</summary>
    OtherSigner,

    /// <summary>The signature, the certificate chain or the transparency log proof does not verify.</summary>
    BadSignature,

    /// <summary>A valid signature over a payload that names another digest or repository.</summary>
    OtherSubject,

    /// <summary>The signature material is not in a format this verifier reads.</summary>
    Malformed,
}
