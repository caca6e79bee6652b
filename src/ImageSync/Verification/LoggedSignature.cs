namespace ImageSync.Verification;

/// <summary>
/// What a log entry must record for it to be this signature's entry: the SHA-256 of the bytes signed (the payload,
/// the artifact, or DSSE's PAE), the signature, the DSSE payload's SHA-256 (intoto and dsse entries record that
/// instead), and the key that verified it.
/// </summary>
public sealed record LoggedSignature(byte[] SignedSha256, byte[] Signature, byte[]? DssePayloadSha256, VerificationKey Key);
