namespace ImageSync.Registry.Auth;

/// <summary>Asks each provider in order; the first answer wins.</summary>
public sealed class CredentialChain(params ICredentialProvider[] providers) : ICredentialProvider
{
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        foreach (var provider in providers)
        {
            if (await provider.GetAsync(registry, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }
        return null;
    }
}
