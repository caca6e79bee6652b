using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Which of the tags named after a digest (cosign's <c>.sig</c>/<c>.att</c>/<c>.sbom</c>, the referrers fallback tag)
/// exist upstream, from the run's one tag list per repository (<see cref="TagListCache"/>): only those listed are asked
/// for, instead of a HEAD for each name after each copied tag (issue 21). Where the registry will not list its tags,
/// each name is asked for as before.
/// </summary>
internal sealed class ArtifactDiscovery(RegistryClient client, TagListCache tagLists)
{
    /// <summary>False only when the repository's tag list says the tag is not there.</summary>
    public async Task<bool> MayExistAsync(RepositoryAccess repository, string tag, CancellationToken cancellationToken) =>
        await tagLists.GetAsync(repository, cancellationToken).ConfigureAwait(false) is not { } list || list.Contains(tag);

    /// <summary>The tag's manifest descriptor (a HEAD), or null without a request when the tag list does not have it.</summary>
    public async Task<Descriptor?> HeadAsync(RepositoryAccess repository, string tag, CancellationToken cancellationToken) =>
        await MayExistAsync(repository, tag, cancellationToken).ConfigureAwait(false)
            ? await client.HeadManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false)
            : null;
}
