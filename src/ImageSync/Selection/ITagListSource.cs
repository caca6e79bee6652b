using ImageSync.Registry;

namespace ImageSync.Selection;

/// <summary>
/// Where tag rules read an upstream repository's tag list: the one seam between them and the registry, so a run
/// can serve every reader of a list (rules, signatures, referrers) from one read of it.
/// </summary>
public interface ITagListSource
{
    /// <summary>Every tag of the repository, as the registry lists them (bounded by <see cref="RegistryClient.ListTagsAsync"/>).</summary>
    Task<IReadOnlyList<string>> TagsAsync(RepositoryAccess repository, CancellationToken cancellationToken);
}
