using System.Net;

namespace ImageSync.Registry;

/// <summary>
/// What a registry's refusal may mean, recognised by the answer (status, code, words), not by the registry's name.
/// Each case is one a first real run meets (issue 18 §2), with the source that describes it.
/// </summary>
internal static class RefusalHint
{
    /// <returns>The hint to add, and whether the refusal is about something other than the credentials.</returns>
    public static (string? Hint, bool NotCredentials) For(HttpResponseMessage response, string detail)
    {
        var request = response.RequestMessage;
        var isPush = request?.Method is { } method && (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch);
        var isManifestRead = request?.Method is { } m && (m == HttpMethod.Head || m == HttpMethod.Get)
            && request.RequestUri?.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal) == true;
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests when IsDockerHub(request):
                // Docker Hub limits anonymous pulls per address and GitHub's hosted runners share addresses
                // (docs.docker.com/docker-hub/usage/); its abuse limit answers a bare 429, and its rate-limit headers
                // sometimes come with no count in them ("ratelimit-remaining: ;w=21600"). Pulls as an account count
                // against the account: the workflows log in with the DOCKERHUB_USERNAME/DOCKERHUB_TOKEN secrets.
                return (DockerHubLimit(request, counted: HasRateLimitCount(response)), true);
            case HttpStatusCode.TooManyRequests when !HasRateLimitCount(response) && response.Headers.RetryAfter is null:
                return ("(no rate-limit count and no Retry-After: the registry limits this address, as Docker Hub does, and CI runners share theirs; "
                    + "log in so that pulls count against an account, not the address, or run later)", true);
            case HttpStatusCode.Forbidden when detail.Contains("quota", StringComparison.OrdinalIgnoreCase) || detail.Contains("exceed the configured upper limit", StringComparison.OrdinalIgnoreCase):
                // Harbor: 403 DENIED "adding 29.0 MiB of storage resource, which when updated to current usage of 152.4 MiB
                // will exceed the configured upper limit of 10.0 MiB" (goharbor/harbor#17390; "Quota exceeded when processing
                // the request" before, #8802); goharbor/harbor-cli#96: "wasted half a day troubleshooting auth problems".
                return ("(the project's storage quota is used up: raise it or delete artifacts; this is not about the credentials)", true);
            case HttpStatusCode.PreconditionFailed when isManifestRead:
                // Harbor's "prevent vulnerable images from running" answers 412 PROJECTPOLICYVIOLATION to a pull, HEAD
                // included (goharbor/harbor#13825, #15885).
                return ("(a policy of the registry refuses to serve it: Harbor answers 412 when a project prevents vulnerable or unsigned images from being pulled; it is not absent)", true);
            case HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized when detail.Contains("write_package", StringComparison.Ordinal):
                // ghcr.io: "denied: permission_denied: write_package" when the token lacks write:packages or the package does
                // not give the repository write access in "Manage Actions access" (docker/build-push-action#806).
                return ($"(GitHub Packages: the token needs the write:packages scope, and the package must give this repository write access: {PackageSettings(request?.RequestUri)}, \"Manage Actions access\")", true);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when isPush:
                // Harbor answers "unauthorized" to a push into a project that does not exist (goharbor/harbor#966, #20544);
                // quay.io a 401 to a robot account without "create" permission on a repository that does not exist yet (issue 18 §2).
                return ("(a push refused: the credentials may lack push access here, or the repository's project or organisation may not exist or not let them create it: "
                    + "Harbor answers so for a project that does not exist, quay.io for a robot account without create permission on a new repository)", false);
            default:
                return (null, false);
        }
    }

    /// <summary>A rate-limit header with a count in it; Docker Hub also sends them empty (";w=21600"), which says nothing.</summary>
    private static bool HasRateLimitCount(HttpResponseMessage response) =>
        response.Headers.Any(h => (h.Key.StartsWith("ratelimit-", StringComparison.OrdinalIgnoreCase) || h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase))
            && h.Value.Any(v => v.Split(';')[0].Trim().Length > 0));

    private static bool IsDockerHub(HttpRequestMessage? request) =>
        request?.Options.TryGetValue(Http.RegistryRequestOptions.Registry, out var registry) == true
        && string.Equals(registry, References.Reference.DockerHub, StringComparison.OrdinalIgnoreCase);

    private static string DockerHubLimit(HttpRequestMessage? request, bool counted)
    {
        var what = counted ? "Docker Hub's pull rate limit is used up" : "Docker Hub's limit: a 429 with no count in it is its abuse limit per address, and CI runners share addresses";
        var account = request?.Options.TryGetValue(Http.RegistryRequestOptions.CredentialSource, out var source) == true && source.Length > 0 ? source : null;
        return account is null
            ? $"({what}; pulled anonymously: set the DOCKERHUB_USERNAME and DOCKERHUB_TOKEN secrets (the workflows log in with them; locally: docker login) so that pulls count against an account, or run later)"
            : $"({what}; pulled as the account from {account}, whose own limit applies: run later, or use an account with a higher limit)";
    }

    /// <summary>The package settings page for /v2/OWNER/NAME/...; the owner may be a user (users/) or an organisation (orgs/).</summary>
    private static string PackageSettings(Uri? uri) =>
        PackageSettings(string.Join("/", (uri?.AbsolutePath.Split("/manifests/")[0].Split("/blobs/")[0] ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1)));

    /// <summary>The package settings page for the repository OWNER/NAME.</summary>
    internal static string PackageSettings(string repository)
    {
        var parts = repository.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length < 2
            ? "https://github.com/orgs/OWNER/packages/container/NAME/settings"
            : $"https://github.com/orgs/{parts[0]}/packages/container/{Uri.EscapeDataString(string.Join("/", parts[1..]))}/settings (users/ instead of orgs/ for a personal account)";
    }
}
