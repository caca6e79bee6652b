using System.Text;
using System.Text.Json;

namespace ImageSync.Config;

internal sealed record JsonArrayAt(int Line, int Column, IReadOnlyList<JsonNodeAt> Items) : JsonNodeAt(Line, Column)
{
    public override string KindName => "an array";
}
