using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// Registries and token servers that echo everything they receive back into their error messages: no secret the
/// run holds reaches the console, the --debug log, the JSON report or the step summary, in any form it travelled
/// in; and a line an echo smuggles in cannot become a GitHub Actions workflow command.
/// </summary>
public sealed class SecretEchoTests : IAsyncLifetime
{
    private const string User = "robot";
    private const string EnvPassword = "p@ss w/rd:Echo-1";
    private const string TokenLoginPassword = "tok-login-Pa55";
    private const string DockerPassword = "dock-Pa55-secret";
    private const string RefreshToken = "refresh-ECHO-9f8e7d";
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-echo-").FullName;
    private readonly List<string> _issued = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A registry: HEAD answers with a digest, GET refuses with everything it was sent, on a new line of its own.</summary>
    private static async Task<HostileServer> EchoRegistryAsync(string challenge, Func<HttpContext, string, Task>? token = null) =>
        await HostileServer.StartAsync(async (context, body) =>
        {
            if (context.Request.Path.StartsWithSegments("/token") && token is not null)
            {
                await token(context, body);
                return;
            }
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = challenge.Replace("SELF", $"http://{context.Request.Host}", StringComparison.Ordinal);
                return;
            }
            if (context.Request.Method == "HEAD")
            {
                context.Response.StatusCode = 200;
                context.Response.Headers["Docker-Content-Digest"] = Digest;
                context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
                context.Response.ContentLength = 300;
                return;
            }
            await HostileServer.Json(context, 403, EchoJson(authorization));
        });

    private static string EchoJson(string authorization)
    {
        var decoded = authorization.StartsWith("Basic ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..]))
            : authorization;
        var message = $"you sent {authorization} = {decoded} url {Uri.EscapeDataString(decoded)}\n::error::pwned\n##[error]pwned too";
        return System.Text.Json.JsonSerializer.Serialize(new { errors = new[] { new { code = "DENIED", message } } });
    }

    [Fact]
    public async Task Echoed_passwords_basic_headers_refresh_tokens_and_issued_tokens_never_reach_any_output()
    {
        await using var basic = await EchoRegistryAsync("Basic realm=\"echo\"");
        await using var docker = await EchoRegistryAsync("Basic realm=\"echo\"");
        await using var bearer = await EchoRegistryAsync("Bearer realm=\"SELF/token\",service=\"echo\"", async (context, _) =>
        {
            var issued = "issued-" + Guid.NewGuid().ToString("N");
            lock (_issued)
            {
                _issued.Add(issued);
            }
            await HostileServer.Json(context, 200, $$"""{"token":"{{issued}}","expires_in":300}""");
        });
        await using var login = await EchoRegistryAsync("Bearer realm=\"SELF/token\",service=\"echo\"", (context, body) =>
            HostileServer.Json(context, 401, EchoJson(context.Request.Headers.Authorization.ToString() + " body " + body)));
        await using var target = await RegistryServer.StartAsync();

        var dockerConfig = Path.Combine(_dir, "docker");
        Directory.CreateDirectory(dockerConfig);
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), $$"""
            { "auths": {
                "docker.test": { "username": "{{User}}", "password": "{{DockerPassword}}" },
                "login.test": { "identitytoken": "{{RefreshToken}}" } } }
            """);
        var config = Path.Combine(_dir, "echo.json");
        await File.WriteAllTextAsync(config, $$"""
            { "images": [
                { "name": "basic", "upstream": "basic.test/a/b", "target": "target.test/m/basic", "tags": ["1.0"] },
                { "name": "docker", "upstream": "docker.test/a/b", "target": "target.test/m/docker", "tags": ["1.0"] },
                { "name": "bearer", "upstream": "bearer.test/a/b", "target": "target.test/m/bearer", "tags": ["1.0"] },
                { "name": "login", "upstream": "login.test/a/b", "target": "target.test/m/login", "tags": ["1.0"] } ],
              "registries": {
                "basic.test": { "url": "{{basic.Url}}", "username_env": "E_USER", "password_env": "E_PASSWORD" },
                "bearer.test": { "url": "{{bearer.Url}}", "username_env": "E_USER", "password_env": "T_PASSWORD" },
                "docker.test": { "url": "{{docker.Url}}", "send_stored_credentials_to": "{{docker.Url}}" },
                "login.test": { "url": "{{login.Url}}", "send_stored_credentials_to": "{{login.Url}}" },
                "target.test": { "url": "{{target.Url}}" } } }
            """);
        var report = Path.Combine(_dir, "report.json");
        var summary = Path.Combine(_dir, "summary.md");
        var env = new Dictionary<string, string>
        {
            ["E_USER"] = User, ["E_PASSWORD"] = EnvPassword, ["T_PASSWORD"] = TokenLoginPassword,
            ["DOCKER_CONFIG"] = dockerConfig, ["HOME"] = _dir, ["GITHUB_STEP_SUMMARY"] = summary,
        };

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, "--debug", "--report", report], env);

        var everything = string.Join("\n", run.Out, run.Error, await File.ReadAllTextAsync(report), await File.ReadAllTextAsync(summary));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("you sent", everything, StringComparison.Ordinal);
        Assert.Contains("***", everything, StringComparison.Ordinal);
        Assert.NotEmpty(_issued);
        string[] secrets = [EnvPassword, TokenLoginPassword, DockerPassword, RefreshToken, .. _issued];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{secret}")), everything, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(everything.Split('\n'), line => line.TrimStart().StartsWith("::", StringComparison.Ordinal) || line.TrimStart().StartsWith("##[", StringComparison.Ordinal));
    }
}
