using System.Text;
using ImageSync.Registry;
using ImageSync.Registry.Auth;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// Logins people stored (Docker's config.json, auth.json, credential helpers) stay with the host they were stored
/// for: a helper is found on PATH only, never in the folder the tool runs from, and a configuration that maps a
/// registry name to another endpoint does not take the name's stored login there unless it says so in so many words.
/// </summary>
public sealed class StoredCredentialTests : IAsyncLifetime
{
    private const string User = "robot";
    private const string Password = "st0red-Login-Pa55";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-stored-").FullName;
    private HostileServer _elsewhere = null!;

    /// <summary>The endpoint a configuration change points a name at: it asks for Basic auth and records what it gets.</summary>
    public async Task InitializeAsync() => _elsewhere = await HostileServer.StartAsync((context, _) =>
    {
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"elsewhere\"";
        return Task.CompletedTask;
    });

    public async Task DisposeAsync()
    {
        await _elsewhere.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private string Config(string bind = "") => Write($"config-{Guid.NewGuid():N}.json", $$"""
        { "images": [ { "name": "q", "upstream": "quay.test/a/b", "target": "mirror.test/m/b", "tags": ["1.0"] } ],
          "registries": { "quay.test": { "url": "{{_elsewhere.Url}}"{{bind}} }, "mirror.test": { "url": "{{_elsewhere.Url}}" } } }
        """);

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string Helper(string folder, string name, string script)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"docker-credential-{name}");
        File.WriteAllText(path, $"#!/bin/sh\nread server\n{script}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_credential_helper_in_the_folder_the_tool_runs_from_is_never_run()
    {
        var name = $"imagesync-cwd-{Guid.NewGuid():N}";
        var ran = Path.Combine(_dir, "helper-ran");
        // The folder a checkout under review would be: the current folder of the run (in process, this process's).
        var here = Directory.GetCurrentDirectory();
        var planted = Helper(here, name, $"touch '{ran}'\necho '{{\"Username\":\"u\",\"Secret\":\"planted-secret\"}}'");
        var docker = Write("docker-cwd/config.json", $$"""{ "credHelpers": { "quay.test": "{{name}}" }, "credsStore": "{{name}}" }""");
        try
        {
            var run = await CliRunner.RunAsync(["Status", "--config", Config(", \"send_stored_credentials_to\": \"" + _elsewhere.Url + "\"")],
                new Dictionary<string, string> { ["HOME"] = _dir, ["DOCKER_CONFIG"] = Path.GetDirectoryName(docker)! }, here);

            Assert.Equal(1, run.ExitCode);
            Assert.False(File.Exists(ran), "the helper in the current folder was run");
            Assert.Contains($"credential helper docker-credential-{name} is configured in Docker's config.json but not installed (not found on PATH)", run.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(planted);
        }
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("auth.json")]
    [InlineData("helper")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_login_stored_for_a_name_never_goes_to_another_endpoint_the_name_is_mapped_to(string store)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var env = new Dictionary<string, string> { ["HOME"] = _dir };
        switch (store)
        {
            case "config.json":
                env["DOCKER_CONFIG"] = Path.GetDirectoryName(Write("docker/config.json", $$"""{ "auths": { "quay.test": { "auth": "{{auth}}" } } }"""))!;
                break;
            case "auth.json":
                env["REGISTRY_AUTH_FILE"] = Write("containers/auth.json", $$"""{ "auths": { "quay.test": { "auth": "{{auth}}" } } }""");
                break;
            default:
                var bin = Path.Combine(_dir, "bin");
                Helper(bin, "imagesync-stored", $"echo '{{\"Username\":\"{User}\",\"Secret\":\"{Password}\"}}'");
                Environment.SetEnvironmentVariable("PATH", $"{Environment.GetEnvironmentVariable("PATH")}:{bin}");
                env["DOCKER_CONFIG"] = Path.GetDirectoryName(Write("docker-helper/config.json", """{ "credHelpers": { "quay.test": "imagesync-stored" } }"""))!;
                break;
        }

        var mapped = await CliRunner.RunAsync(["Status", "--config", Config()], env);
        Assert.Equal(1, mapped.ExitCode);
        Assert.NotEmpty(_elsewhere.Seen);
        Assert.All(_elsewhere.Seen, r => Assert.Null(r.Authorization));
        if (store != "helper")
        {
            Assert.Contains($"holds a login for quay.test, which is reached at {_elsewhere.Authority}: it is not sent there", mapped.Error, StringComparison.Ordinal);
        }

        var bound = await CliRunner.RunAsync(["Status", "--config", Config($", \"send_stored_credentials_to\": \"{_elsewhere.Url}\"")], env);
        Assert.Equal(1, bound.ExitCode);
        Assert.Contains(_elsewhere.Seen, r => r.Authorization == $"Basic {auth}");
    }

    [Theory]
    [InlineData("docker.io", null, true)]
    [InlineData("docker.io", "https://registry-1.docker.io", true)]
    [InlineData("docker.io", "https://mirror.gcr.io", false)]
    [InlineData("quay.io", null, true)]
    [InlineData("quay.io", "https://quay.io:8443", false)]
    [InlineData("localhost:5000", "http://127.0.0.1:5000", false)]
    [InlineData("localhost:5000", null, true)]
    public void Only_the_names_own_host_and_docker_hubs_known_endpoints_get_its_stored_login(string registry, string? url, bool allowed)
    {
        var endpoints = new RegistryEndpoints(url is null ? new Dictionary<string, Uri>() : new Dictionary<string, Uri> { [registry] = new Uri(url) });
        var credentials = new HostBoundCredentials(new StaticCredentials(new Dictionary<string, RegistryCredential>()), endpoints, new Dictionary<string, Uri>());

        Assert.Equal(allowed, credentials.MayUseStoredLoginOf(registry, endpoints.BaseUri(registry)));
    }
}
