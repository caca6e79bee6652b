namespace ImageSync.Config;

/// <summary>Where a value was written: file, 1-based line and column.</summary>
public sealed record SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
