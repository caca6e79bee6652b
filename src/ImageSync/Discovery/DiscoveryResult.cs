using ImageSync.Config;

namespace ImageSync.Discovery;

/// <summary>What upstream has for one configured image, newest first.</summary>
public sealed record DiscoveryResult(ImageSpec Image, int TotalTags, IReadOnlyList<DiscoveredTag> Newest)
{
    public IEnumerable<DiscoveredTag> NewTags => Newest.Where(t => t.Newer);
}
