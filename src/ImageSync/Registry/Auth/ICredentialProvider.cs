namespace ImageSync.Registry.Auth;

/// <summary>Finds credentials for a registry name (docker.io, quay.io, host:port), not for an endpoint URL.</summary>
public interface ICredentialProvider
{
    ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
