using System.Text;
using System.Text.Json;

namespace ImageSync.Config;

internal static class PositionedJson
{
    public static JsonNodeAt Parse(byte[] utf8)
    {
        var lineStarts = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (utf8.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                throw new JsonSyntaxError(1, 1, "the file is empty");
            }
            reader.Read();
            var root = ReadValue(ref reader, utf8, lineStarts);
            if (reader.Read())
            {
                var (line, column) = Position(utf8, lineStarts, reader.TokenStartIndex);
                throw new JsonSyntaxError(line, column, "unexpected content after the end of the document");
            }
            return root;
        }
        catch (JsonException e)
        {
            throw new JsonSyntaxError((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, JsonErrorText.Describe(e.Message));
        }
    }

    private static JsonNodeAt ReadValue(ref Utf8JsonReader reader, byte[] utf8, List<int> lineStarts)
    {
        var (line, column) = Position(utf8, lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<JsonPropertyAt>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (keyLine, keyColumn) = Position(utf8, lineStarts, reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    properties.Add(new JsonPropertyAt(name, keyLine, keyColumn, ReadValue(ref reader, utf8, lineStarts)));
                }
                return new JsonObjectAt(line, column, properties);
            case JsonTokenType.StartArray:
                var items = new List<JsonNodeAt>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lineStarts));
                }
                return new JsonArrayAt(line, column, items);
            case JsonTokenType.String:
                return new JsonScalarAt(line, column, reader.TokenType, reader.GetString(), Raw(ref reader), (int)reader.TokenStartIndex, (int)reader.BytesConsumed);
            default:
                return new JsonScalarAt(line, column, reader.TokenType, null, Raw(ref reader), (int)reader.TokenStartIndex, (int)reader.BytesConsumed);
        }
    }

    private static string Raw(ref Utf8JsonReader reader) => Encoding.UTF8.GetString(reader.ValueSpan);

    private static List<int> LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }

    private static (int Line, int Column) Position(byte[] utf8, List<int> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch((int)offset);
        var line = index >= 0 ? index : ~index - 1;
        // Columns count characters, not bytes, so a name with accents does not shift what follows.
        var column = Encoding.UTF8.GetCharCount(utf8, lineStarts[line], (int)offset - lineStarts[line]) + 1;
        return (line + 1, column);
    }
}
