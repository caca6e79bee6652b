namespace ImageSync.Config;

internal sealed record JsonObjectAt(int Line, int Column, IReadOnlyList<JsonPropertyAt> Properties) : JsonNodeAt(Line, Column)
{
    public override string KindName => "an object";
}
