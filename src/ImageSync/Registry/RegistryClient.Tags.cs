using ImageSync.Common;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

public sealed partial class RegistryClient
{
    private const int TagPageSize = 1000;
    private const int MaxTagPageBytes = 4 * 1024 * 1024;

    /// <summary>More than any real repository has; a registry whose pages go on past it is looping or hostile.</summary>
    public const int MaxTags = 200_000;
    private const int MaxTagPages = 2_000;

    /// <summary>
    /// Every tag of a repository, following <c>Link: &lt;...&gt;; rel="next"</c> pages on the same host. An unknown
    /// repository has no tags.
    /// </summary>
    public async IAsyncEnumerable<string> ListTagsAsync(RepositoryAccess repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? next = Url(repository, $"tags/list?n={TagPageSize}");
        var count = 0;
        var visited = new HashSet<Uri>();
        while (next is not null)
        {
            if (!visited.Add(next) || visited.Count > MaxTagPages)
            {
                throw new RegistryException($"tags of {repository}: {(visited.Count > MaxTagPages ? $"more than {MaxTagPages} pages" : "the Link header leads back to a page already read")}; imagesync stops listing there");
            }
            using var request = Request(HttpMethod.Get, next, repository);
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                yield break;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryException.FromResponseAsync($"GET tags {repository}", response, cancellationToken).ConfigureAwait(false);
            }
            var body = await ResponseBody.ReadAllAsync(response, MaxTagPageBytes, $"GET tags {repository}: one page", cancellationToken).ConfigureAwait(false);
            using (var json = ParsePage(body, repository))
            {
                if (json.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
                {
                    foreach (var tag in tags.EnumerateArray())
                    {
                        if (++count > MaxTags)
                        {
                            throw new RegistryException($"tags of {repository}: more than {MaxTags} tags; imagesync stops listing there (a registry whose Link header loops never ends)");
                        }
                        // A name outside the tag grammar is no tag: it would steer a request by path (../, /)
                        // or carry a line of its own into a table. It is left out, as if not listed.
                        if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { } t && References.Reference.IsValidTag(t))
                        {
                            yield return t;
                        }
                    }
                }
            }
            next = NextPage(response, next);
        }
    }

    /// <summary>A page that is no JSON is the registry's fault, said as one: never a crash of ours.</summary>
    private static JsonDocument ParsePage(byte[] body, RepositoryAccess repository)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new RegistryException($"GET tags {repository}: the registry's answer is not JSON");
        }
    }

    internal static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            var target = parts[0].Trim();
            if (target.Length < 2 || target[0] != '<' || target[^1] != '>' || !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next"))
            {
                continue;
            }
            var uri = new Uri(current, target[1..^1]);
            // A next page on another host would carry our token elsewhere.
            return Origin.Same(uri, current) ? uri : null;
        }
        return null;
    }
}
