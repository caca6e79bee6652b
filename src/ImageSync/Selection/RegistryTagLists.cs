using ImageSync.Registry;

namespace ImageSync.Selection;

/// <summary>Tag lists read straight from the registry: every page, within the client's bounds (pages, tags, bytes).</summary>
public sealed class RegistryTagLists(RegistryClient client) : ITagListSource
{
    public async Task<IReadOnlyList<string>> TagsAsync(RepositoryAccess repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        await foreach (var tag in client.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            tags.Add(tag);
        }
        return tags;
    }
}
