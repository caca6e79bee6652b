using System.Net;
using System.Text.Json;

namespace ImageSync.Tests.Support;

/// <summary>
/// What quay.io and ghcr.io answer for the tag list of a repository that has no manifests yet, in front of the real
/// registry (which answers 404 NAME_UNKNOWN for it, as distribution does; a repository with tags is forwarded as is).
/// ghcr.io: 404 <c>NAME_UNKNOWN</c>, the distribution spec's code for a repository the registry does not know
/// ("repository name not known to registry"), for a package not published yet. quay.io: 200 with no tags, since quay
/// creates the repository when it grants a push token to an account that may create it (quay/quay
/// endpoints/v2/v2auth.py: "Push-to-create"; its tags/list raises NameUnknown only for a repository that does not
/// exist, endpoints/v2/tag.py), and imagesync asks for pull,push before it writes. Either way the push that follows
/// creates a private repository: Red Hat Quay's "About Quay.io" (a repository created by a push "is set to Private,
/// regardless of the plan") and GitHub Docs' "Configuring a package's access control and visibility" ("the default
/// visibility is private").
/// </summary>
internal static class NewRepositoryPersonality
{
    public static Fault.Respond TagList(string service, HttpClient backend, Uri registry) => new(async context =>
    {
        var request = context.Request;
        using var answer = await backend.GetAsync(new Uri(registry, request.Path.Value!.TrimStart('/') + request.QueryString));
        if (answer.StatusCode != HttpStatusCode.NotFound)
        {
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await answer.Content.CopyToAsync(context.Response.Body);
            return;
        }
        var repository = Personality.Repository(request);
        await (service == "quay.io"
            ? HostileServer.Json(context, 200, JsonSerializer.Serialize(new { name = repository, tags = Array.Empty<string>() }))
            : HostileServer.Json(context, 404, JsonSerializer.Serialize(new { errors = new[] { new { code = "NAME_UNKNOWN", message = "repository name not known to registry", detail = new { name = repository } } } })));
    });

    public static bool IsTagList(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Method == "GET" && request.Path.Value!.EndsWith("/tags/list", StringComparison.Ordinal);
}
