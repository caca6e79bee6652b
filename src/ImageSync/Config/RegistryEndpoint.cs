namespace ImageSync.Config;

/// <summary>
/// Where a registry name is reached and how to log in. Credentials are named by environment variable so that
/// the file itself never holds a secret. <paramref name="SendStoredCredentialsTo"/> is the one endpoint, other than
/// the name's own host, that the logins Docker or Podman stored for the name may be sent to (null: none).
/// </summary>
public sealed record RegistryEndpoint(string Name, Uri? Url, string? UsernameEnv, string? PasswordEnv, bool Insecure, Uri? SendStoredCredentialsTo = null);
