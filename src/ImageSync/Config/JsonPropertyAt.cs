namespace ImageSync.Config;

internal sealed record JsonPropertyAt(string Name, int Line, int Column, JsonNodeAt Value);
