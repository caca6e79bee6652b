using System.Text.Json;

namespace ImageSync.Config;

/// <summary>A string, number, boolean or null; <paramref name="Start"/> and <paramref name="End"/> are byte offsets of the token, quotes included, for editing in place.</summary>
internal sealed record JsonScalarAt(int Line, int Column, JsonTokenType Token, string? Text, string Raw, int Start, int End) : JsonNodeAt(Line, Column)
{
    public override string KindName => Token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}
