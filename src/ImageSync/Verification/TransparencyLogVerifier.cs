using System.Globalization;
using System.Text;

namespace ImageSync.Verification;

/// <summary>
/// Proves a signature was logged: the entry is about this signature (<see cref="LogEntryBody"/>), its log is one the
/// trusted root names, and the log vouches for it by a signed entry timestamp (SET) and/or an inclusion proof that
/// leads to a checkpoint the log signed. Only a SET signs the entry's integrated time, so only a SET proves when it
/// was signed.
/// </summary>
internal static class TransparencyLogVerifier
{
    /// <summary>The proven signing time (from a SET), or null when only inclusion was proven.</summary>
    public static DateTimeOffset? Verify(TransparencyLogEntry entry, LoggedSignature signed, TrustedRoot root)
    {
        var log = root.FindLog(entry.LogId) ?? throw new SignatureRefusedException(RefusalKind.BadSignature, $"the signature was logged by a transparency log the trusted root does not name (log id {Convert.ToBase64String(entry.LogId)})");
        LogEntryBody.Check(entry.Body, signed, entry.Kind, entry.Version);
        DateTimeOffset? time = null;
        if (entry.SignedEntryTimestamp is { } set)
        {
            if (!log.Key.Verify(CanonicalPromise(entry), set))
            {
                throw new SignatureRefusedException(RefusalKind.BadSignature, "the transparency log's signed entry timestamp does not verify");
            }
            if (!log.ValidFor.Contains(entry.Time))
            {
                throw new SignatureRefusedException(RefusalKind.BadSignature, $"the entry was logged at {entry.Time:u}, outside the time the trusted root trusts {log.BaseUrl}'s key");
            }
            time = entry.Time;
        }
        if (entry.Proof is { } proof)
        {
            var computed = MerkleTree.RootFromInclusionProof(proof.LogIndex, proof.TreeSize, MerkleTree.LeafHash(entry.Body), proof.Hashes);
            if (computed is null || !computed.AsSpan().SequenceEqual(proof.RootHash))
            {
                throw new SignatureRefusedException(RefusalKind.BadSignature, "the transparency log inclusion proof does not lead to its root hash");
            }
            var checkpoint = proof.Checkpoint is null
                ? throw new SignatureRefusedException(RefusalKind.BadSignature, "the inclusion proof has no signed checkpoint")
                : Checkpoint.Verify(proof.Checkpoint, log);
            if (checkpoint.TreeSize != proof.TreeSize || !checkpoint.RootHash.AsSpan().SequenceEqual(proof.RootHash))
            {
                throw new SignatureRefusedException(RefusalKind.BadSignature, "the signed checkpoint is for another tree than the inclusion proof");
            }
        }
        else if (time is null)
        {
            throw new SignatureRefusedException(RefusalKind.BadSignature, "the transparency log entry has neither a signed entry timestamp nor an inclusion proof");
        }
        return time;
    }

    /// <summary>What Rekor v1 signs as the SET: canonical JSON (sorted keys, no spaces) of body, integratedTime, logID (hex), logIndex.</summary>
    internal static byte[] CanonicalPromise(TransparencyLogEntry entry) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"body\":\"{Convert.ToBase64String(entry.Body)}\",\"integratedTime\":{entry.IntegratedTime},\"logID\":\"{Convert.ToHexStringLower(entry.LogId)}\",\"logIndex\":{entry.LogIndex}}}"));
}
