namespace ImageSync.Registry.Auth;

/// <summary>Credentials known up front: the config's environment variables, SYNCER_ACCESS_TOKEN, a key file.</summary>
public sealed class StaticCredentials(IReadOnlyDictionary<string, RegistryCredential> byRegistry) : ICredentialProvider
{
    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
        ValueTask.FromResult(byRegistry.GetValueOrDefault(registry));
}
