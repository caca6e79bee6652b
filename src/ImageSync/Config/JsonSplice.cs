using System.Text;
using System.Text.Json;

namespace ImageSync.Config;

/// <summary>
/// Sets one property of a JSON object in place: the value's bytes are replaced, or the property is added after the
/// object's last one, indented as that object's properties are. Everything else keeps its bytes, so a maintainer's
/// configuration keeps its layout, order and comments-free formatting when a command writes a section into it.
/// </summary>
public static class JsonSplice
{
    /// <param name="objectPath">Property names from the root to the object (empty: the root); each must exist and be an object.</param>
    /// <param name="valueJson">The new value, as JSON text; when it spans lines, they are indented to the property's depth.</param>
    public static byte[] Set(byte[] json, IReadOnlyList<string> objectPath, string key, string valueJson)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        reader.Read();
        for (var depth = 0; ; depth++)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDataException($"{string.Join('.', objectPath.Take(depth).DefaultIfEmpty("the configuration"))} is not a JSON object");
            }
            var objectStart = (int)reader.TokenStartIndex;
            var wanted = depth < objectPath.Count ? objectPath[depth] : key;
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == wanted)
                {
                    found = true;
                    break;
                }
                reader.Skip();
            }
            if (depth < objectPath.Count)
            {
                if (!found)
                {
                    throw new InvalidDataException($"the configuration has no {string.Join('.', objectPath.Take(depth + 1))}");
                }
                continue;
            }
            var indent = IndentOf(json, objectStart);
            var value = Indent(valueJson, indent);
            if (found)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                return [.. json.AsSpan(0, start), .. Encoding.UTF8.GetBytes(value), .. json.AsSpan(end)];
            }
            // reader is at the object's closing brace: add after the last property, or into the empty object.
            var close = (int)reader.TokenStartIndex;
            var last = close - 1;
            while (last > objectStart && json[last] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                last--;
            }
            var newline = json.AsSpan(0, close).IndexOf("\r\n"u8) >= 0 ? "\r\n" : "\n";
            var insert = (last == objectStart ? "" : ",") + newline + indent + JsonString(key) + ": " + value;
            return [.. json.AsSpan(0, last + 1), .. Encoding.UTF8.GetBytes(insert), .. json.AsSpan(last + 1)];
        }
    }

    /// <summary>The white space before the object's properties (two spaces deeper than the object, when it has none to copy).</summary>
    private static string IndentOf(byte[] json, int objectStart)
    {
        var probe = objectStart + 1;
        while (probe < json.Length && json[probe] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            probe++;
        }
        var lineStart = Array.LastIndexOf(json, (byte)'\n', Math.Max(0, probe - 1));
        if (json[probe] == (byte)'"' && lineStart > objectStart)
        {
            return Encoding.UTF8.GetString(json, lineStart + 1, probe - lineStart - 1);
        }
        var objectLine = Array.LastIndexOf(json, (byte)'\n', Math.Max(0, objectStart - 1)) + 1;
        var outer = 0;
        while (objectLine + outer < objectStart && json[objectLine + outer] is (byte)' ' or (byte)'\t')
        {
            outer++;
        }
        return new string(' ', outer + 2);
    }

    /// <summary>Every line but the first indented by <paramref name="indent"/>.</summary>
    public static string Indent(string valueJson, string indent)
    {
        var lines = valueJson.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return string.Join("\n", lines.Select((l, i) => i == 0 ? l : indent + l));
    }

    public static string JsonString(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
