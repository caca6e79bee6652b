using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// One Rekor entry as a bundle carries it (protobuf-specs TransparencyLogEntry): the canonicalized body, where and
/// when it was logged, and its proofs: the signed entry timestamp (inclusionPromise) and/or an inclusion proof.
/// </summary>
public sealed record TransparencyLogEntry(long LogIndex, byte[] LogId, string Kind, string Version, long IntegratedTime, byte[]? SignedEntryTimestamp, InclusionProof? Proof, byte[] Body)
{
    public static TransparencyLogEntry Read(JsonElement entry)
    {
        var proof = SignedJson.Element(entry, "inclusionProof") is { ValueKind: JsonValueKind.Object } p
            ? new InclusionProof(
                SignedJson.Int64(p, "logIndex") ?? -1,
                SignedJson.Int64(p, "treeSize") ?? -1,
                SignedJson.Base64(SignedJson.String(p, "rootHash"), "the inclusion proof's rootHash"),
                SignedJson.Element(p, "hashes") is { ValueKind: JsonValueKind.Array } hashes
                    ? [.. hashes.EnumerateArray().Select(h => SignedJson.Base64(h.GetString(), "an inclusion proof hash"))]
                    : [],
                SignedJson.String(p, "checkpoint", "envelope"))
            : null;
        var set = SignedJson.String(entry, "inclusionPromise", "signedEntryTimestamp");
        return new TransparencyLogEntry(
            SignedJson.Int64(entry, "logIndex") ?? -1,
            SignedJson.Base64(SignedJson.String(entry, "logId", "keyId"), "the log entry's logId"),
            SignedJson.String(entry, "kindVersion", "kind") ?? "",
            SignedJson.String(entry, "kindVersion", "version") ?? "",
            SignedJson.Int64(entry, "integratedTime") ?? 0,
            set is null ? null : SignedJson.Base64(set, "the signed entry timestamp"),
            proof,
            SignedJson.Base64(SignedJson.String(entry, "canonicalizedBody"), "the log entry's canonicalizedBody"));
    }

    /// <summary>
    /// cosign's tag-scheme <c>dev.sigstore.cosign/bundle</c> annotation: {"SignedEntryTimestamp", "Payload": {"body",
    /// "integratedTime", "logIndex", "logID" (hex)}}; no inclusion proof.
    /// </summary>
    public static TransparencyLogEntry ReadCosignAnnotation(byte[] json)
    {
        using var document = SignedJson.Parse(json, "the dev.sigstore.cosign/bundle annotation");
        var root = document.RootElement;
        var payload = SignedJson.Element(root, "Payload") ?? throw new SignatureRefusedException(RefusalKind.Malformed, "the dev.sigstore.cosign/bundle annotation has no Payload");
        byte[] logId;
        try
        {
            logId = Convert.FromHexString(SignedJson.String(payload, "logID") ?? "");
        }
        catch (FormatException)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, "the dev.sigstore.cosign/bundle annotation's logID is not hex");
        }
        return new TransparencyLogEntry(
            SignedJson.Int64(payload, "logIndex") ?? -1,
            logId,
            "",
            "",
            SignedJson.Int64(payload, "integratedTime") ?? 0,
            SignedJson.Base64(SignedJson.String(root, "SignedEntryTimestamp"), "the SignedEntryTimestamp"),
            null,
            SignedJson.Base64(SignedJson.String(payload, "body"), "the logged body"));
    }

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(IntegratedTime);
}
