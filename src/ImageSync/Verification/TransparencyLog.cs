namespace ImageSync.Verification;

/// <summary>A transparency log (Rekor) the root trusts: its key, the key's id (SHA-256 of its SPKI) and validity.</summary>
public sealed record TransparencyLog(string BaseUrl, byte[] LogId, VerificationKey Key, ValidFor ValidFor);
