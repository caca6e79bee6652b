using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageSync.References;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

public sealed partial class RegistryClient
{
    /// <summary>More pages than this for one subject's referrers: a registry that is looping or hostile.</summary>
    private const int MaxReferrerPages = 16;

    /// <summary>
    /// The referrers of <paramref name="subject"/> (OCI distribution-spec 1.1, "Listing Referrers":
    /// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;?artifactType=</c>), as the image index the registry answers.
    /// Null when the registry has no referrers API: the spec's 404, which distribution 2.8 gives for the unknown
    /// route; the caller then reads the fallback tag. A registry may ignore the filter, so callers filter too. A list
    /// the registry pages (<c>Link: &lt;...&gt;; rel="next"</c>, same host only) is read whole, up to
    /// <see cref="MaxReferrerPages"/> pages and <see cref="ManifestDocument.MaxDescriptors"/> entries, and answered as
    /// one index; one page is answered as the registry's own bytes.
    /// </summary>
    public async Task<byte[]?> GetReferrersAsync(RepositoryAccess repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var query = artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType);
        var what = $"GET referrers {repository}@{subject}";
        Uri? next = Url(repository, $"referrers/{subject}{query}");
        var visited = new HashSet<Uri>();
        List<string>? entries = null;
        while (next is not null)
        {
            if (!visited.Add(next) || visited.Count > MaxReferrerPages)
            {
                throw new RegistryException($"{what}: {(visited.Count > MaxReferrerPages ? $"more than {MaxReferrerPages} pages" : "the Link header leads back to a page already read")}; imagesync stops listing there");
            }
            using var request = Request(HttpMethod.Get, next, repository);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && entries is null)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryException.FromResponseAsync(what, response, cancellationToken).ConfigureAwait(false);
            }
            var body = await ResponseBody.ReadAllAsync(response, MaxManifestBytes, what, cancellationToken).ConfigureAwait(false);
            var following = NextPage(response, next);
            if (entries is null && following is null)
            {
                return body;
            }
            entries ??= [];
            entries.AddRange(PageEntries(body, what));
            if (entries.Count > ManifestDocument.MaxDescriptors)
            {
                throw new RegistryException($"{what}: more than {ManifestDocument.MaxDescriptors} referrers; imagesync stops listing there");
            }
            next = following;
        }
        return Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{string.Join(",", entries!)}]}}");
    }

    private static List<string> PageEntries(byte[] page, string what)
    {
        try
        {
            using var json = JsonDocument.Parse(page);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array
                ? [.. manifests.EnumerateArray().Select(m => m.GetRawText())]
                : [];
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{what}: a page is not JSON: {e.Message}");
        }
    }
}
