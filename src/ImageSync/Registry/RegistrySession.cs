using ImageSync.Config;
using ImageSync.Output;
using ImageSync.Registry.Auth;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

/// <summary>
/// One run's connection to the registries: endpoints (config, then --registry), credentials in the documented order
/// (the config's environment variables; SYNCER_ACCESS_TOKEN or SYNCER_TARGET_REPO_AUTH_KEY for the external-images
/// target registry; Docker's config.json; Podman's and skopeo's auth.json; anonymous) and the HttpClient they share. Discover, AutoUpdate and the
/// copier all reach registries through it.
/// </summary>
public sealed class RegistrySession : IDisposable
{
    private readonly RegistryTransport _transport;

    private RegistrySession(RegistryTransport transport, RegistryClient client, IReadOnlyList<string> warnings)
    {
        _transport = transport;
        Client = client;
        Warnings = warnings;
    }

    public RegistryClient Client { get; }

    /// <summary>Things worth saying before the run, e.g. a credential variable that is not set.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <exception cref="ArgumentException">A mapping or key file is unusable; the message says which.</exception>
    public static RegistrySession Create(SyncConfig config, SessionSettings settings)
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

        var used = config.Images.SelectMany(i => new[] { i.Upstream.Registry, i.Target.Registry }).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fromConfig = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, registry) in config.Registries)
        {
            if (registry.UsernameEnv is null || registry.PasswordEnv is null)
            {
                continue;
            }
            var user = settings.Environment(registry.UsernameEnv);
            var password = settings.Environment(registry.PasswordEnv);
            settings.Secrets.AddBasic(user, password);
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            {
                if (used.Contains(name))
                {
                    // Name the one that is missing (both when both are): "A or B is not set" leaves the user to guess.
                    var missing = string.Join(" and ", new[] { (registry.UsernameEnv, user), (registry.PasswordEnv, password) }.Where(v => string.IsNullOrEmpty(v.Item2)).Select(v => v.Item1));
                    warnings.Add($"{missing} {(missing.Contains(" and ", StringComparison.Ordinal) ? "are" : "is")} not set; {name} is tried with other credentials or anonymously");
                }
                continue;
            }
            fromConfig[name] = RegistryCredential.Basic(user, password, $"{registry.UsernameEnv}/{registry.PasswordEnv}");
        }

        var forTarget = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        if (TargetCredential(settings) is { } targetCredential)
        {
            // These two come from kyma's image-syncer, where they log in to the one target registry of the run.
            if (config.SyncerTargetRegistry is { } targetRegistry)
            {
                forTarget[targetRegistry] = targetCredential;
            }
            else
            {
                warnings.Add($"{targetCredential.Source} is ignored: it logs in to the target registry of an --images-file run; in image-sync-config.json, name the registry's credentials with registries.NAME.username_env/password_env");
            }
        }

        var registryEndpoints = new RegistryEndpoints(endpoints);
        var storedFiles = new[] { DockerConfigCredentials.DefaultPath(settings.Environment) }.Concat(DockerConfigCredentials.ContainersAuthPaths(settings.Environment))
            .OfType<string>().Select(path => new DockerConfigCredentials(path, settings.Environment)).ToList();
        var bindings = config.Registries.Values.Where(r => r.SendStoredCredentialsTo is not null).ToDictionary(r => r.Name, r => r.SendStoredCredentialsTo!, StringComparer.OrdinalIgnoreCase);
        var stored = new HostBoundCredentials(new CredentialChain([.. storedFiles]), registryEndpoints, bindings);
        foreach (var name in used.Where(n => !stored.MayUseStoredLoginOf(n, registryEndpoints.BaseUri(n))))
        {
            if (storedFiles.FirstOrDefault(f => f.Holds(name)) is { } file)
            {
                warnings.Add($"{file.FilePath} holds a login for {name}, which is reached at {registryEndpoints.BaseUri(name).Authority}: it is not sent there (a stored login goes only to the host it was stored for; registries.{name}.send_stored_credentials_to binds it to that endpoint)");
            }
        }
        var credentials = new CredentialChain([new StaticCredentials(fromConfig), new StaticCredentials(forTarget), stored]);
        var insecure = config.Registries.Values.Where(r => r.Insecure).Select(r => TlsRoutingHandler.Origin(registryEndpoints.BaseUri(r.Name))).ToHashSet(StringComparer.Ordinal);
        foreach (var origin in insecure)
        {
            warnings.Add($"TLS certificates of {origin} are not verified (insecure: true)");
        }
        var transport = RegistryTransport.Create(credentials, registryEndpoints, settings.Secrets, new TransportSettings
        {
            MaxConnectionsPerServer = Math.Max(settings.Checks, settings.Concurrency * 2),
            Retry = settings.Retry,
            Timeouts = settings.Timeouts,
            DebugLog = settings.DebugLog,
            InsecureOrigins = insecure,
            Front = Layout.LayoutSet.From(config) is { Count: > 0 } layouts ? new Layout.OciLayoutHandler(layouts, settings.DebugLog) : null,
        });
        return new RegistrySession(transport, new RegistryClient(transport.Client, registryEndpoints, settings.Retry, settings.DebugLog), warnings);
    }

    private static RegistryCredential? TargetCredential(SessionSettings settings)
    {
        if (settings.TargetRepoAuthKeyPath is { Length: > 0 } keyPath)
        {
            string key;
            try
            {
                key = File.ReadAllText(keyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--target-repo-auth-key: cannot read {keyPath}: {(e is FileNotFoundException ? "no such file" : e.Message)}");
            }
            settings.Secrets.AddBasic("_json_key", key);
            // A registry that echoes part of the key (its private_key line) must not print that either.
            foreach (var line in key.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 16))
            {
                settings.Secrets.Add(line);
            }
            return RegistryCredential.Basic("_json_key", key, "SYNCER_TARGET_REPO_AUTH_KEY");
        }
        settings.Secrets.Add(settings.AccessToken);
        return settings.AccessToken is { Length: > 0 } token ? RegistryCredential.Bearer(token, "SYNCER_ACCESS_TOKEN") : null;
    }

    public void Dispose() => _transport.Dispose();
}
