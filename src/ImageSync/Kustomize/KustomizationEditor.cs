using System.Text;
using ImageSync.Config;
using ImageSync.Errors;

namespace ImageSync.Kustomize;

/// <summary>
/// Rewrites one <c>images[].name</c> of a kustomization in place: only the name's characters change (its quotes,
/// the other fields, comments, line endings and a missing final newline stay byte for byte), as sail-operator's
/// #1829 did by hand when Istio moved its images.
/// </summary>
public static class KustomizationEditor
{
    /// <param name="namePosition">Where the reader found the name's value (1-based line and column, as YamlDotNet counts them).</param>
    /// <exception cref="ImageSyncException">The bytes at that position are not <paramref name="oldName"/>: the file changed since it was read.</exception>
    public static byte[] Rename(byte[] original, SourcePosition namePosition, string oldName, string newName)
    {
        var offset = Offset(original, namePosition.Line, namePosition.Column);
        if (offset < original.Length && original[offset] is (byte)'"' or (byte)'\'')
        {
            var quote = original[offset];
            offset++;
            if (!Holds(original, offset, oldName) || offset + Encoding.UTF8.GetByteCount(oldName) >= original.Length || original[offset + Encoding.UTF8.GetByteCount(oldName)] != quote)
            {
                throw Moved(namePosition, oldName);
            }
        }
        else if (!Holds(original, offset, oldName))
        {
            throw Moved(namePosition, oldName);
        }
        var end = offset + Encoding.UTF8.GetByteCount(oldName);
        return [.. original.AsSpan(0, offset), .. Encoding.UTF8.GetBytes(newName), .. original.AsSpan(end)];
    }

    /// <summary>The byte offset of a 1-based line and column (counted in characters, as the YAML reader does).</summary>
    private static int Offset(byte[] bytes, int line, int column)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        for (var current = 1; current < line; current++)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            if (newline < 0)
            {
                return bytes.Length;
            }
            start = newline + 1;
        }
        var end = Array.IndexOf(bytes, (byte)'\n', start);
        var text = Encoding.UTF8.GetString(bytes, start, (end < 0 ? bytes.Length : end) - start);
        return start + Encoding.UTF8.GetByteCount(text.AsSpan(0, Math.Min(column - 1, text.Length)));
    }

    private static bool Holds(byte[] bytes, int offset, string text)
    {
        var expected = Encoding.UTF8.GetBytes(text);
        return offset + expected.Length <= bytes.Length && bytes.AsSpan(offset, expected.Length).SequenceEqual(expected)
            && (offset + expected.Length == bytes.Length || bytes[offset + expected.Length] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t' or (byte)'#' or (byte)'"' or (byte)'\'');
    }

    private static ImageSyncException Moved(SourcePosition at, string oldName) =>
        new($"{at}: expected the image name {oldName} here; the kustomization changed while AutoUpdate ran, so it is left as it is");
}
