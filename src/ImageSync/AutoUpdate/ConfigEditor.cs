using System.Buffers;
using System.Text;
using System.Text.Json;
using ImageSync.Config;

namespace ImageSync.AutoUpdate;

/// <summary>
/// Applies updates to image-sync-config.json in place: only the changed string values differ; whitespace, key
/// order, line endings and everything else stay byte for byte.
/// </summary>
public static class ConfigEditor
{
    /// <param name="followMove">Whether an update's move is written into <c>upstream</c>.</param>
    public static byte[] Apply(byte[] original, IEnumerable<ImageUpdate> updates, Func<ImageUpdate, bool> followMove)
    {
        var root = PositionedJson.Parse(original) as JsonObjectAt ?? throw new InvalidDataException("the configuration is not a JSON object");
        var images = root.Properties.FirstOrDefault(p => p.Name == "images")?.Value as JsonArrayAt ?? throw new InvalidDataException("the configuration has no images array");
        var edits = new List<(int Start, int End, string Text)>();
        foreach (var update in updates)
        {
            var entry = images.Items.OfType<JsonObjectAt>().FirstOrDefault(i => Field(i, "name") is JsonScalarAt { Text: var n } && n == update.Image.Name);
            if (entry is null)
            {
                continue;
            }
            if (update.ChangesTag && Field(entry, "tags") is JsonArrayAt tags)
            {
                edits.Add(TagEdit(original, tags, update.OldTag, update.NewTag!));
            }
            if (update.Moved && followMove(update) && Field(entry, "upstream") is JsonScalarAt upstream)
            {
                edits.Add((upstream.Start, upstream.End, Quote(update.UpstreamNow!.Name)));
            }
        }
        var result = new List<byte>(original);
        foreach (var (start, end, text) in edits.OrderByDescending(e => e.Start))
        {
            result.RemoveRange(start, end - start);
            result.InsertRange(start, Encoding.UTF8.GetBytes(text));
        }
        return [.. result];
    }

    private static (int, int, string) TagEdit(byte[] original, JsonArrayAt tags, string? oldTag, string newTag)
    {
        var items = tags.Items.OfType<JsonScalarAt>().ToList();
        if (oldTag is not null && items.FirstOrDefault(i => i.Text == oldTag) is { } old)
        {
            return (old.Start, old.End, Quote(newTag));
        }
        if (items.Count == 0)
        {
            throw new InvalidDataException("an image has an empty tags array");
        }
        // Added in front, separated from the first item exactly as the first item is from what follows it (or from
        // the bracket, for a one-item list), so a multi-line list stays multi-line.
        var first = items[0];
        var separator = items.Count > 1
            ? Encoding.UTF8.GetString(original, first.End, items[1].Start - first.End)
            : "," + WhitespaceBefore(original, first.Start);
        return (first.Start, first.Start, Quote(newTag) + separator);
    }

    private static string WhitespaceBefore(byte[] text, int offset)
    {
        var start = offset;
        while (start > 0 && text[start - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start--;
        }
        var whitespace = Encoding.UTF8.GetString(text, start, offset - start);
        return whitespace.Length == 0 ? " " : whitespace;
    }

    private static JsonNodeAt? Field(JsonObjectAt obj, string name) => obj.Properties.FirstOrDefault(p => p.Name == name)?.Value;

    // Utf8JsonWriter escapes as the serializer's defaults do, without the serializer's reflection (the tool is
    // compiled ahead of time).
    private static string Quote(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
