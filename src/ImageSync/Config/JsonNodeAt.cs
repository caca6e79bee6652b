namespace ImageSync.Config;

/// <summary>
/// A JSON tree that remembers where every key and value starts. System.Text.Json's DOM drops positions,
/// and error messages must name the line and column, so the loader reads tokens itself.
/// </summary>
internal abstract record JsonNodeAt(int Line, int Column)
{
    public abstract string KindName { get; }
}
