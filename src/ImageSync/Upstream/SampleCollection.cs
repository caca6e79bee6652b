namespace ImageSync.Upstream;

/// <summary>What one reading of an archive kept: the files, notes on what was passed over, and the bytes kept so far.</summary>
internal sealed class SampleCollection
{
    public List<UpstreamFile> Files { get; } = [];

    public List<string> Notes { get; } = [];

    public Dictionary<string, UpstreamFile> Vendored { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

    public long Kept { get; set; }
}
