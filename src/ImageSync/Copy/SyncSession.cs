using ImageSync.Config;
using ImageSync.Registry;
using ImageSync.Registry.Auth;
using ImageSync.Registry.Http;
using ImageSync.Reporting;

namespace ImageSync.Copy;

/// <summary>How to reach registries and log in, from flags and environment, before any request is made.</summary>
public sealed record SessionSettings
{
    public IReadOnlyList<string> RegistryMappings { get; init; } = [];
    public string? AccessToken { get; init; }
    public string? TargetRepoAuthKeyPath { get; init; }
    public int Concurrency { get; init; } = 4;
    public TextWriter? DebugLog { get; init; }
    public RetrySettings Retry { get; init; } = RetrySettings.Default;
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}

/// <summary>
/// One run's connection to the registries: endpoints (config, then --registry), credentials in the documented order
/// (the config's environment variables, SYNCER_ACCESS_TOKEN and SYNCER_TARGET_REPO_AUTH_KEY for targets, Docker's
/// config.json, anonymous) and the HttpClient they share.
/// </summary>
public sealed class SyncSession : IDisposable
{
    private readonly RegistryTransport _transport;

    private SyncSession(RegistryTransport transport, RegistryClient client, SecretScrubber scrubber, IReadOnlyList<string> warnings)
    {
        _transport = transport;
        Client = client;
        Scrubber = scrubber;
        Warnings = warnings;
    }

    public RegistryClient Client { get; }

    public SecretScrubber Scrubber { get; }

    /// <summary>Things worth saying before the run, e.g. a credential variable that is not set.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <exception cref="ArgumentException">A mapping or key file is unusable; the message says which.</exception>
    public static SyncSession Create(SyncConfig config, SessionSettings settings)
    {
        var warnings = new List<string>();
        var endpoints = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, registry) in config.Registries)
        {
            if (registry.Url is not null)
            {
                endpoints[name] = registry.Url;
            }
        }
        foreach (var mapping in settings.RegistryMappings)
        {
            if (!RegistryEndpoints.TryParseMapping(mapping, out var name, out var url, out var error))
            {
                throw new ArgumentException($"--registry: {error}");
            }
            endpoints[name] = url!;
        }

        var fromConfig = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, registry) in config.Registries)
        {
            if (registry.UsernameEnv is null || registry.PasswordEnv is null)
            {
                continue;
            }
            var user = settings.Environment(registry.UsernameEnv);
            var password = settings.Environment(registry.PasswordEnv);
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            {
                warnings.Add($"{registry.UsernameEnv} or {registry.PasswordEnv} is not set; {name} is tried with other credentials or anonymously");
                continue;
            }
            fromConfig[name] = RegistryCredential.Basic(user, password, $"{registry.UsernameEnv}/{registry.PasswordEnv}");
        }

        var forTargets = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        var targetCredential = TargetCredential(settings);
        if (targetCredential is not null)
        {
            foreach (var registry in config.Images.Select(i => i.Target.Registry).Distinct())
            {
                forTargets[registry] = targetCredential;
            }
        }

        var credentials = new CredentialChain(
            new StaticCredentials(fromConfig),
            new StaticCredentials(forTargets),
            new DockerConfigCredentials(DockerConfigCredentials.DefaultPath(settings.Environment)));
        var registryEndpoints = new RegistryEndpoints(endpoints);
        var insecure = config.Registries.Values.Where(r => r.Insecure).Select(r => registryEndpoints.BaseUri(r.Name).Authority).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var host in insecure)
        {
            warnings.Add($"TLS certificates of {host} are not verified (insecure: true)");
        }
        var transport = RegistryTransport.Create(credentials, registryEndpoints, Math.Max(8, settings.Concurrency * 2), settings.Retry, settings.DebugLog, insecure);
        var secrets = fromConfig.Values.Concat(targetCredential is null ? [] : [targetCredential]).SelectMany(c => c.Secrets());
        return new SyncSession(transport, new RegistryClient(transport.Client, registryEndpoints), new SecretScrubber(secrets), warnings);
    }

    private static RegistryCredential? TargetCredential(SessionSettings settings)
    {
        if (settings.TargetRepoAuthKeyPath is { Length: > 0 } keyPath)
        {
            try
            {
                return RegistryCredential.Basic("_json_key", File.ReadAllText(keyPath), "SYNCER_TARGET_REPO_AUTH_KEY");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--target-repo-auth-key: cannot read {keyPath}: {(e is FileNotFoundException ? "no such file" : e.Message)}");
            }
        }
        return settings.AccessToken is { Length: > 0 } token ? RegistryCredential.Bearer(token, "SYNCER_ACCESS_TOKEN") : null;
    }

    public void Dispose() => _transport.Dispose();
}
