using System.Text;

namespace ImageSync.Verification;

/// <summary>
/// A log checkpoint as a signed note (transparency-dev's checkpoint format, C2SP signed-note): origin, tree size,
/// base64 root hash, optional extension lines, a blank line, then "— name base64(keyhint4 || signature)" lines.
/// Rekor's keyhint is the first 4 bytes of its log id (Rekor v2: of its note key id, <see cref="TransparencyLog.NoteKeyId"/>);
/// the signature is over the text up to the blank line.
/// </summary>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash)
{
    public static Checkpoint Verify(string envelope, TransparencyLog log)
    {
        var split = envelope.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || envelope.Length > 64 * 1024)
        {
            throw Bad("is not a signed note");
        }
        var text = envelope[..(split + 1)];
        var lines = text.TrimEnd('\n').Split('\n');
        if (lines.Length < 3 || !long.TryParse(lines[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            throw Bad("does not have an origin, a tree size and a root hash");
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw Bad("has a root hash that is not base64");
        }
        var hint = log.NoteKeyId.AsSpan(0, 4);
        var message = Encoding.UTF8.GetBytes(text);
        foreach (var line in envelope[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[0] != "\u2014")
            {
                continue;
            }
            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(parts[2]);
            }
            catch (FormatException)
            {
                continue;
            }
            if (signature.Length > 4 && signature.AsSpan(0, 4).SequenceEqual(hint) && log.Key.Verify(message, signature.AsSpan(4)))
            {
                return new Checkpoint(lines[0], size, root);
            }
        }
        throw Bad($"is not signed by the log's key ({log.BaseUrl})");
    }

    private static SignatureRefusedException Bad(string what) => new(RefusalKind.BadSignature, $"the transparency log checkpoint {what}");
}
