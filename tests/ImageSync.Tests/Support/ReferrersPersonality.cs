using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>
/// A registry with the OCI 1.1 referrers API, in front of distribution 2.8 (which has none), as a rule for a
/// <see cref="FaultProxy"/>. It implements the OCI distribution-spec v1.1.0 as written
/// (https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md):
/// "Pushing Manifests with Subject": a manifest PUT whose body has a <c>subject</c> is stored, answered with
/// <c>OCI-Subject: &lt;subject digest&gt;</c>, and its descriptor (artifactType, else config.mediaType; its
/// annotations) listed for the subject; "Listing Referrers": <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> answers
/// an image index of those descriptors (an empty one for a subject with none, never 404), filtered by
/// <c>?artifactType=</c> with <c>OCI-Filters-Applied: artifactType</c>. Only what was pushed through it is listed.
/// </summary>
internal sealed class ReferrersPersonality(Uri registry)
{
    private static readonly HttpClient Backend = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _listed = new(StringComparer.Ordinal);

    /// <summary>Entries per page; past it, the answer links the next page (the spec's <c>Link: &lt;...&gt;; rel="next"</c>).</summary>
    public int PageSize { get; init; } = int.MaxValue;

    /// <summary>Referrers API requests answered.</summary>
    public int Listings => _listings;

    private int _listings;

    public Fault? Rule(HttpRequest request, int _)
    {
        var path = request.Path.Value!;
        if (request.Method == "GET" && path.Contains("/referrers/", StringComparison.Ordinal))
        {
            return new Fault.Respond(ListAsync);
        }
        return Personality.IsManifest(request, "PUT") ? new Fault.Respond(PutAsync) : null;
    }

    private async Task ListAsync(HttpContext context)
    {
        Interlocked.Increment(ref _listings);
        var path = context.Request.Path.Value!;
        var repository = path["/v2/".Length..path.IndexOf("/referrers/", StringComparison.Ordinal)];
        var subject = path[(path.IndexOf("/referrers/", StringComparison.Ordinal) + "/referrers/".Length)..];
        var filter = context.Request.Query["artifactType"].ToString();
        var entries = _listed.TryGetValue($"{repository}@{subject}", out var found) ? found.Values.Order(StringComparer.Ordinal).ToList() : [];
        if (filter.Length > 0)
        {
            entries = [.. entries.Where(e => JsonDocument.Parse(e).RootElement.TryGetProperty("artifactType", out var t) && t.GetString() == filter)];
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        var page = int.TryParse(context.Request.Query["page"].ToString(), out var p) ? p : 0;
        var start = page == 0 ? 0 : page * PageSize;
        if ((long)start + PageSize < entries.Count)
        {
            var rest = filter.Length > 0 ? $"?artifactType={Uri.EscapeDataString(filter)}&" : "?";
            context.Response.Headers.Link = $"<{path}{rest}page={page + 1}>; rel=\"next\"";
        }
        entries = [.. entries.Skip(start).Take(PageSize)];
        context.Response.ContentType = "application/vnd.oci.image.index.v1+json";
        await context.Response.WriteAsync($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{string.Join(",", entries)}]}}");
    }

    private async Task PutAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        using var put = new ByteArrayContent(bytes);
        put.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        using var stored = await Backend.PutAsync(new Uri(registry, context.Request.Path.Value!.TrimStart('/')), put);
        context.Response.StatusCode = (int)stored.StatusCode;
        foreach (var header in new[] { "Docker-Content-Digest", "Location" })
        {
            if (stored.Headers.TryGetValues(header, out var value))
            {
                context.Response.Headers[header] = value.First();
            }
        }
        if (!stored.IsSuccessStatusCode)
        {
            await context.Response.WriteAsync(await stored.Content.ReadAsStringAsync());
            return;
        }
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        if (!root.TryGetProperty("subject", out var subject))
        {
            return;
        }
        var subjectDigest = subject.GetProperty("digest").GetString()!;
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        var type = root.TryGetProperty("artifactType", out var at) ? at.GetString()
            : root.TryGetProperty("config", out var config) ? config.GetProperty("mediaType").GetString() : null;
        var annotations = root.TryGetProperty("annotations", out var a) ? $",\"annotations\":{a.GetRawText()}" : "";
        var entry = $"{{\"mediaType\":\"{context.Request.ContentType}\",\"digest\":\"{digest}\",\"size\":{bytes.Length}{(type is null ? "" : $",\"artifactType\":\"{type}\"")}{annotations}}}";
        _listed.GetOrAdd($"{Personality.Repository(context.Request)}@{subjectDigest}", _ => new(StringComparer.Ordinal))[digest] = entry;
        context.Response.Headers["OCI-Subject"] = subjectDigest;
    }
}
