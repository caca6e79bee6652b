using System.Net;
using System.Net.Http.Headers;
using ImageSync.References;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// The referrers of <paramref name="subject"/> (OCI distribution-spec 1.1, "Listing Referrers":
    /// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;?artifactType=</c>), as the image index the registry answers.
    /// Null when the registry has no referrers API: the spec's 404, which distribution 2.8 gives for the unknown
    /// route; the caller then reads the fallback tag. A registry may ignore the filter, so callers filter too.
    /// </summary>
    public async Task<byte[]?> GetReferrersAsync(RepositoryAccess repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var query = artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType);
        using var request = Request(HttpMethod.Get, Url(repository, $"referrers/{subject}{query}"), repository);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryException.FromResponseAsync($"GET referrers {repository}@{subject}", response, cancellationToken).ConfigureAwait(false);
        }
        return await ResponseBody.ReadAllAsync(response, MaxManifestBytes, $"GET referrers {repository}@{subject}", cancellationToken).ConfigureAwait(false);
    }
}
