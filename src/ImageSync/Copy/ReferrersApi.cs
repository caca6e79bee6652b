using System.Net;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// The referrers API (OCI distribution-spec 1.1, "Listing Referrers") of each registry a run reads, learned from
/// the first request to it and remembered for the run: a registry that has the API never answers it with 404 (the
/// spec's "Unavailable Referrers API": a 404 means no API, as distribution 2.8 answers for the unknown route), so a
/// registry without it costs one request per run, not one per manifest.
/// </summary>
internal sealed class ReferrersApi(RegistryClient client)
{
    private readonly SingleFlight<bool> _probes = new();

    /// <summary>The subject's referrers list, or null when the registry has no referrers API.</summary>
    public async Task<byte[]?> ListAsync(RepositoryAccess repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        byte[]? first = null;
        var led = false;
        var has = await _probes.RunAsync(repository.Registry, async ct =>
        {
            led = true;
            first = await GetAsync(repository, subject, artifactType, ct).ConfigureAwait(false);
            return first is not null;
        }, cancellationToken).ConfigureAwait(false);
        if (!has)
        {
            return null;
        }
        return led ? first : await GetAsync(repository, subject, artifactType, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]?> GetAsync(RepositoryAccess repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetReferrersAsync(repository, subject, artifactType, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            // Registries older than the spec's wording answer the unknown route so (400 is the spec's answer only for
            // a malformed digest, and ours is well formed); they have no API either.
            return null;
        }
    }
}
