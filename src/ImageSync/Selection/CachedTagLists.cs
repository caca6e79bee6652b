using ImageSync.Registry;

namespace ImageSync.Selection;

/// <summary>
/// Tag rules read upstream's lists from the run's <see cref="TagListCache"/>: the one listing per repository that
/// artifact discovery reads too, so a run lists each repository once however many readers it has.
/// </summary>
public sealed class CachedTagLists(TagListCache cache) : ITagListSource
{
    public async Task<IReadOnlyList<string>> TagsAsync(RepositoryAccess repository, CancellationToken cancellationToken) =>
        (await cache.GetAsync(repository, cancellationToken).ConfigureAwait(false))?.Tags
        // Copying by name can do without the list; choosing tags by rule cannot.
        ?? throw new RegistryException($"{repository}: the registry will not list its tags (401, 403 or 405), and tag_rules choose from that list; list the tags under \"tags\" instead");
}
