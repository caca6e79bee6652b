namespace ImageSync.Config;

internal sealed record JsonArrayAt(int Line, int Column, IReadOnlyList<JsonNodeAt> Items) : JsonNodeAt(Line, Column)
{
    public override string KindName => "an array";
}
