using ImageSync.Common;
using ImageSync.Errors;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ImageSync.Config;
using ImageSync.References;

namespace ImageSync.Registry.Auth;

/// <summary>
/// Docker's <c>config.json</c>, or Podman's and skopeo's <c>auth.json</c> (the same format): <c>auths</c> (base64 user:password, <c>identitytoken</c>, <c>registrytoken</c>),
/// and <c>credHelpers</c> / <c>credsStore</c> through <c>docker-credential-NAME get</c>. Looked up by registry
/// name; Docker Hub is stored under <c>https://index.docker.io/v1/</c>.
/// </summary>
public sealed class DockerConfigCredentials(string? configPath, Func<string, string?>? environment = null) : ICredentialProvider
{
    private readonly Lazy<JsonDocument?> _config = new(() => Load(configPath));

    public string? FilePath => configPath;

    /// <summary>Whether the file names a login or a helper for <paramref name="registry"/> itself (no helper is run).</summary>
    public bool Holds(string registry)
    {
        if (_config.Value is not { } config)
        {
            return false;
        }
        return Keys(registry).Any(key => StoredSections.Any(section =>
            config.RootElement.TryGetProperty(section, out var entries) && entries.ValueKind == JsonValueKind.Object && entries.TryGetProperty(key, out _)));
    }

    private static readonly string[] StoredSections = ["auths", "credHelpers"];

    private static string[] Keys(string registry) => registry == Reference.DockerHub
        ? ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
        : [registry, $"https://{registry}", $"http://{registry}", $"https://{registry}/v1/", $"https://{registry}/v2/"];

    /// <summary>$DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    public static string? DefaultPath(Func<string, string?> environment)
    {
        if (environment("DOCKER_CONFIG") is { Length: > 0 } dir)
        {
            return Path.Combine(dir, "config.json");
        }
        return UserHome.Of(environment) is { } home ? Path.Combine(home, ".docker", "config.json") : null;
    }

    /// <summary>
    /// Podman's and skopeo's auth files, as they look for them: REGISTRY_AUTH_FILE alone when set, else
    /// $XDG_RUNTIME_DIR/containers/auth.json, then ~/.config/containers/auth.json.
    /// </summary>
    public static IEnumerable<string> ContainersAuthPaths(Func<string, string?> environment)
    {
        if (environment("REGISTRY_AUTH_FILE") is { Length: > 0 } file)
        {
            yield return file;
            yield break;
        }
        if (environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            yield return Path.Combine(runtime, "containers", "auth.json");
        }
        if (UserHome.Of(environment) is { } home)
        {
            yield return Path.Combine(home, ".config", "containers", "auth.json");
        }
    }

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        if (_config.Value is not { } config)
        {
            return null;
        }
        var root = config.RootElement;
        var keys = Keys(registry);

        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in keys)
            {
                if (helpers.TryGetProperty(key, out var helper) && helper.GetString() is { Length: > 0 } name)
                {
                    return await FromHelperAsync(name, key, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in keys)
            {
                if (auths.TryGetProperty(key, out var entry) && FromAuthEntry(entry, key) is { } credential)
                {
                    return credential;
                }
            }
        }
        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
        {
            return await FromHelperAsync(storeName, keys[0], cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private static JsonDocument? Load(string? path)
    {
        if (path is null || !System.IO.File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new ImageSyncException($"{path}: not valid JSON ({e.Message.Split('.')[0]})", e);
        }
    }

    private RegistryCredential? FromAuthEntry(JsonElement entry, string key)
    {
        var source = $"{configPath} (auths.{key})";
        if (entry.TryGetProperty("registrytoken", out var rt) && rt.GetString() is { Length: > 0 } registryToken)
        {
            return RegistryCredential.Bearer(registryToken, source);
        }
        string? user = entry.TryGetProperty("username", out var u) ? u.GetString() : null;
        string? password = entry.TryGetProperty("password", out var p) ? p.GetString() : null;
        if (entry.TryGetProperty("auth", out var a) && a.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw new ImageSyncException($"{configPath}: auths.{key}.auth is not base64");
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new ImageSyncException($"{configPath}: auths.{key}.auth is not user:password");
            }
            user = decoded[..colon];
            password = decoded[(colon + 1)..].TrimEnd('\0');
        }
        if (entry.TryGetProperty("identitytoken", out var it) && it.GetString() is { Length: > 0 } identity)
        {
            return RegistryCredential.Identity(user ?? "<token>", identity, source);
        }
        return user is { Length: > 0 } && password is not null ? RegistryCredential.Basic(user, password, source) : null;
    }

    private const int MaxHelperOutput = 64 * 1024;
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A helper's full path, found as Docker finds it: in the folders PATH names, never in the current folder or the
    /// tool's own (which Process.Start would try first), nor through a relative PATH entry (Go's exec.LookPath refuses
    /// those too), so a <c>docker-credential-NAME</c> file in a checkout under review is never run.
    /// </summary>
    private string FindOnPath(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal) || program.Contains('\\', StringComparison.Ordinal) || program.Contains('\0', StringComparison.Ordinal))
        {
            throw new Errors.ImageSyncException($"credential helper {Output.Untrusted.Line(program, 100)} in Docker's config.json names a path; helpers are named, and found on PATH");
        }
        var path = environment?.Invoke("PATH") ?? System.Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(System.IO.Path.PathSeparator).Where(System.IO.Path.IsPathFullyQualified))
        {
            var candidate = System.IO.Path.Combine(folder, program);
            if (System.IO.File.Exists(candidate) && (OperatingSystem.IsWindows() || (System.IO.File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }
        throw new Errors.ImageSyncException($"credential helper {program} is configured in Docker's config.json but not installed (not found on PATH)");
    }

    /// <summary>
    /// Runs <c>docker-credential-NAME get</c> as Docker does: the server on stdin, JSON on stdout. A helper that
    /// fails, hangs, floods or prints something else is named in a one-line error; its output is never repeated,
    /// since it may hold the secret.
    /// </summary>
    private async Task<RegistryCredential?> FromHelperAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        var program = $"docker-credential-{helper}";
        var start = new ProcessStartInfo(FindOnPath(program), "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ImageSyncException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ImageSyncException($"credential helper {program} is configured in Docker's config.json but not installed");
        }
        using (process)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(HelperTimeout);
            string output;
            try
            {
                await process.StandardInput.WriteAsync(serverUrl).ConfigureAwait(false);
                process.StandardInput.Close();
                var buffer = new char[MaxHelperOutput + 1];
                var read = await process.StandardOutput.ReadBlockAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (read > MaxHelperOutput)
                {
                    throw new ImageSyncException($"credential helper {program} printed more than {MaxHelperOutput / 1024} KiB; expected a small JSON object");
                }
                output = new string(buffer, 0, read);
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new ImageSyncException($"credential helper {program} did not answer within {HelperTimeout.TotalSeconds:0} s");
            }
            catch (IOException)
            {
                throw new ImageSyncException($"credential helper {program} closed its input or output early (exit code {(process.HasExited ? process.ExitCode : -1)})");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            if (process.ExitCode != 0)
            {
                // "credentials not found" is an ordinary miss; anything else is the helper's problem, told without its output.
                return output.Contains("not found", StringComparison.OrdinalIgnoreCase) ? null
                    : throw new ImageSyncException($"credential helper {program} failed (exit code {process.ExitCode})");
            }
            try
            {
                using var json = JsonDocument.Parse(output);
                var user = json.RootElement.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                var secret = json.RootElement.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (string.IsNullOrEmpty(secret))
                {
                    return null;
                }
                return user == "<token>"
                    ? RegistryCredential.Identity(user, secret, program)
                    : RegistryCredential.Basic(user ?? "", secret, program);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new ImageSyncException($"credential helper {program} did not print a JSON object with Username and Secret");
            }
        }
    }
}
