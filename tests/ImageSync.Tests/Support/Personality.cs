using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>The answers a hosted registry's stand-in gives instead of forwarding: its challenge, its errors.</summary>
internal static class Personality
{
    /// <summary>The auth layer of a hosted registry in front of an open one: no Authorization, a 401 pointing at its token realm.</summary>
    public static Fault.Respond Challenge(string challenge) => new(context =>
    {
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = challenge;
        return HostileServer.Json(context, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}""");
    });

    public static Fault.Respond Error(int status, string code, string message) => new(context =>
        HostileServer.Json(context, status, System.Text.Json.JsonSerializer.Serialize(new { errors = new[] { new { code, message, detail = new { } } } })));

    public static bool IsManifest(HttpRequest request, string method) =>
        request.Method == method && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal);

    /// <summary>The repository a /v2/ path names (the part before /blobs/, /manifests/ or /tags/).</summary>
    public static string Repository(HttpRequest request) =>
        request.Path.Value!.Split("/blobs/")[0].Split("/manifests/")[0].Split("/tags/")[0]["/v2/".Length..];

    /// <summary>
    /// A registry that does not mount across repositories (Artifact Registry across projects, ECR without its
    /// blob-mounting setting): a mount POST opens an ordinary upload session instead, 202 with its Location.
    /// </summary>
    public static Fault.Respond OpenUploadInsteadOfMount(HttpClient backend, Uri registry, Func<Uri> front, HttpRequest request) => new(async context =>
    {
        using var open = await backend.PostAsync(new Uri(registry, request.Path.Value!.TrimStart('/')), null);
        var location = open.Headers.Location!;
        context.Response.StatusCode = 202;
        context.Response.Headers.Location = new Uri(front(), (location.IsAbsoluteUri ? location.PathAndQuery : location.ToString()).TrimStart('/')).ToString();
    });
}
