namespace ImageSync.Config;

/// <summary>
/// The positions of an image entry and its fields, for messages found after loading. A format without a name or
/// target field (external-images derives both from <c>source</c>) names the field they came from instead.
/// </summary>
public sealed record FieldPositions(string Path, SourcePosition Entry, IReadOnlyDictionary<string, SourcePosition> Fields, string NameField = "name", string TargetField = "target")
{
    public SourcePosition Of(string field) => Fields.TryGetValue(field, out var p) ? p : Entry;
}
