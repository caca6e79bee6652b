namespace ImageSync.Verification;

/// <summary>A Merkle inclusion proof of a log entry (RFC 6962 section 2.1.1) and the signed checkpoint it leads to.</summary>
public sealed record InclusionProof(long LogIndex, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Hashes, string? Checkpoint);
