namespace ImageSync.Registry.Auth;

/// <summary>
/// Logins people stored (Docker's config.json, Podman's and skopeo's auth.json, credential helpers) are for the host
/// they were stored under, so they go only there: a registry name's stored login is used when the name is reached at
/// its own host (Docker Hub at its known API hosts), or at the one endpoint the configuration binds it to in so many
/// words (<c>registries.NAME.send_stored_credentials_to</c>). Mapped anywhere else (<c>registries.NAME.url</c>,
/// <c>--registry</c>), the login stored for the endpoint's own host is used, if any: a configuration change alone
/// never sends someone's login to another host.
/// </summary>
public sealed class HostBoundCredentials(ICredentialProvider stored, RegistryEndpoints endpoints, IReadOnlyDictionary<string, Uri> bindings) : ICredentialProvider
{
    private static readonly string[] DockerHubHosts = [RegistryEndpoints.DockerHubApiHost, "index.docker.io", "docker.io"];

    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var endpoint = endpoints.BaseUri(registry);
        return stored.GetAsync(MayUseStoredLoginOf(registry, endpoint) ? registry : endpoint.Authority, cancellationToken);
    }

    /// <summary>Whether the login stored for <paramref name="registry"/> may go to <paramref name="endpoint"/>.</summary>
    public bool MayUseStoredLoginOf(string registry, Uri endpoint) =>
        IsOwnHost(registry, endpoint)
        || (bindings.TryGetValue(registry, out var bound) && Http.TlsRoutingHandler.Origin(bound) == Http.TlsRoutingHandler.Origin(endpoint) && bound.Scheme == endpoint.Scheme);

    private static bool IsOwnHost(string registry, Uri endpoint) =>
        registry == References.Reference.DockerHub
            ? endpoint.Scheme == Uri.UriSchemeHttps && endpoint.IsDefaultPort && DockerHubHosts.Contains(endpoint.Host, StringComparer.OrdinalIgnoreCase)
            : string.Equals(endpoint.Authority, registry, StringComparison.OrdinalIgnoreCase)
              || string.Equals($"{endpoint.Host}:{endpoint.Port}", registry, StringComparison.OrdinalIgnoreCase);
}
