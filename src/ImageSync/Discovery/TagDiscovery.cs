using ImageSync.Config;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Discovery;

/// <summary>Lists upstream tags and compares them with the configuration. It reads only; it never edits anything.</summary>
public sealed class TagDiscovery(RegistryClient client)
{
    public async Task<DiscoveryResult> DiscoverAsync(ImageSpec image, int max, CancellationToken cancellationToken)
    {
        // Only the newest `max` are kept however long the list: memory stays flat on a repository with 100k tags.
        var newest = new SortedSet<string>(TagVersion.NewestFirstOrder.Instance);
        var total = 0;
        await foreach (var tag in client.ListTagsAsync(RepositoryAccess.Pull(image.Upstream), cancellationToken).ConfigureAwait(false))
        {
            // cosign's signature tags and the referrers fallback are artefacts, not releases.
            if (ArtifactTags.IsArtifactTag(tag))
            {
                continue;
            }
            total++;
            if (newest.Add(tag) && newest.Count > max)
            {
                newest.Remove(newest.Max!);
            }
        }
        var configured = image.Tags.Select(t => t.Source).ToHashSet(StringComparer.Ordinal);
        var newestConfigured = configured.Select(TagVersion.TryParse).OfType<TagVersion>().Max();
        var shown = newest.Select(tag =>
        {
            var version = TagVersion.TryParse(tag);
            var newer = !configured.Contains(tag) && version is not null && version.PreRelease is null && (newestConfigured is null || version.CompareTo(newestConfigured) > 0);
            return new DiscoveredTag(tag, configured.Contains(tag), newer);
        }).ToList();
        return new DiscoveryResult(image, total, shown);
    }
}
