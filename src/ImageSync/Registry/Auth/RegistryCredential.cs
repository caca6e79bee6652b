namespace ImageSync.Registry.Auth;

/// <summary>
/// How to log in to one registry: user and password, an identity (refresh) token, or a ready bearer token.
/// A class, not a record, so that no generated ToString can ever print a secret.
/// </summary>
public sealed class RegistryCredential
{
    private RegistryCredential(string? username, string? password, string? identityToken, string? bearerToken, string source)
    {
        Username = username;
        Password = password;
        IdentityToken = identityToken;
        BearerToken = bearerToken;
        Source = source;
    }

    public string? Username { get; }

    public string? Password { get; }

    public string? IdentityToken { get; }

    public string? BearerToken { get; }

    /// <summary>Where it came from, for messages: never the secret itself.</summary>
    public string Source { get; }

    public bool HasBasic => Username is not null && Password is not null;

    public static RegistryCredential Basic(string username, string password, string source) => new(username, password, null, null, source);

    public static RegistryCredential Identity(string username, string identityToken, string source) => new(username, null, identityToken, null, source);

    public static RegistryCredential Bearer(string token, string source) => new(null, null, null, token, source);

    /// <summary>Every secret value, so that messages and logs can be scrubbed of them.</summary>
    public IEnumerable<string> Secrets() => new[] { Password, IdentityToken, BearerToken }.Where(s => !string.IsNullOrEmpty(s))!;

    public override string ToString() => $"credentials from {Source}";
}
