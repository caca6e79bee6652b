using System.Net;

namespace ImageSync.Registry;

/// <summary>
/// The tag list of a repository, read once per run however many tags, tasks or targets ask (single-flight: callers
/// that ask while the listing is under way wait for it), bounded as <see cref="RegistryClient.ListTagsAsync"/> is
/// (pages on the same host, <see cref="RegistryClient.MaxTags"/>). Whatever needs to know which tags exist upstream
/// reads it here: the artifact tags named after a digest (cosign's <c>.sig</c>/<c>.att</c>/<c>.sbom</c>, the OCI
/// referrers fallback tag), so that a copied tag costs no HEAD for an artifact that is not there. The list is a
/// snapshot: what is pushed upstream while the run goes on is seen by the next run.
/// </summary>
public sealed class TagListCache(RegistryClient client)
{
    private readonly Copy.SingleFlight<TagList?> _lists = new();
    private int _listed;

    /// <summary>Listings this cache has read from registries (one per repository per run).</summary>
    public int Listed => Volatile.Read(ref _listed);

    /// <summary>
    /// The repository's tags, or null when the registry will not list them (401, 403, 405: some registries grant
    /// pulls by name but not the tag list); the caller then asks for each tag it needs by name, as before.
    /// An unknown repository has no tags. Any other failure throws, as an existence check does.
    /// </summary>
    public Task<TagList?> GetAsync(RepositoryAccess repository, CancellationToken cancellationToken) =>
        _lists.RunAsync($"{repository.Registry}/{repository.Repository}", async ct =>
        {
            Interlocked.Increment(ref _listed);
            var tags = new List<string>();
            try
            {
                await foreach (var tag in client.ListTagsAsync(repository, ct).ConfigureAwait(false))
                {
                    tags.Add(tag);
                }
            }
            catch (RegistryException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed)
            {
                return null;
            }
            return new TagList(tags);
        }, cancellationToken);
}
