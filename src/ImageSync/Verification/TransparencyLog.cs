using System.Security.Cryptography;
using System.Text;

namespace ImageSync.Verification;

/// <summary>A transparency log (Rekor) the root trusts: its key, the key's id (SHA-256 of its SPKI) and validity.</summary>
public sealed record TransparencyLog(string BaseUrl, byte[] LogId, VerificationKey Key, ValidFor ValidFor)
{
    /// <summary>
    /// How the log names itself in its checkpoints' signatures (C2SP signed-note key id). Rekor v2's Ed25519 logs
    /// use the note key id, SHA-256 of origin, a newline, 0x01 (Ed25519) and the 32-byte key, where the origin is
    /// the base URL's host; bundles then name the log by it too. Rekor v1 uses its log id.
    /// </summary>
    public byte[] NoteKeyId { get; } = Key.IsEd25519 && Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url)
        ? SHA256.HashData([.. Encoding.UTF8.GetBytes(url.Host), (byte)'\n', 0x01, .. Key.SubjectPublicKeyInfo.AsSpan(Key.SubjectPublicKeyInfo.Length - 32)])
        : LogId;
}
