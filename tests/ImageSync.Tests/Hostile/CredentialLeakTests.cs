using System.Net.Http.Headers;
using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Hostile;

/// <summary>
/// Credentials go only where they belong, against servers that try to get them elsewhere: a blob CDN with its own
/// realm, a token endpoint that redirects, a plain-http realm behind an https registry, a TLS exception that must
/// not spread to another port.
/// </summary>
public sealed class CredentialLeakTests : IAsyncLifetime
{
    private const string User = "robot";
    private const string Password = "Cdn-s3cret-Pa55";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-leak-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_blob_redirected_to_a_cdn_goes_there_without_credentials_and_the_cdns_401_never_becomes_the_registrys_challenge()
    {
        await using var upstream = await RegistryServer.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        await using var target = await RegistryServer.StartAsync();
        var first = TestImage.Create("cdn-one", ["linux/amd64"], [4096]);
        var second = TestImage.Create("cdn-two", ["linux/amd64"], [4096]);
        await first.PushAsync(upstream, "istio/cdn-one", "1.0", (User, Password));
        await second.PushAsync(upstream, "istio/cdn-two", "1.0", (User, Password));
        using var storage = new HttpClient();
        var refusals = 0;
        string? refused = null;
        // Object storage: refuses the first blob with a realm of its own, and again when the registry is asked for the
        // URL once more (RedirectHandler's fresh signed URL), then serves what the registry holds. By path: small
        // blobs are read several at once (they take no transfer slot), so "the first two requests" could be two blobs.
        await using var cdn = await HostileServer.StartAsync(async (context, _) =>
        {
            if (context.Request.Path.StartsWithSegments("/token"))
            {
                await HostileServer.Json(context, 200, """{"token":"cdn-token"}""");
                return;
            }
            var path = context.Request.Path.Value!;
            Interlocked.CompareExchange(ref refused, path, null);
            if (refused == path && Interlocked.Increment(ref refusals) <= 2)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{context.Request.Host}/token\",service=\"cdn\"";
                return;
            }
            using var fetch = new HttpRequestMessage(HttpMethod.Get, new Uri(upstream.Url, context.Request.Path.Value!.TrimStart('/')));
            fetch.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
            using var blob = await storage.SendAsync(fetch);
            context.Response.StatusCode = (int)blob.StatusCode;
            await blob.Content.CopyToAsync(context.Response.Body);
        });
        await using var proxy = await FaultProxy.StartAsync(upstream.Url);
        proxy.Rule = (request, _) => request.Method == "GET" && request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal)
            ? new Fault.Respond(context =>
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = new Uri(cdn.Url, request.Path.Value!.TrimStart('/')).ToString();
                return Task.CompletedTask;
            })
            : null;
        var config = Write("cdn.json", $$"""
            { "images": [
                { "name": "one", "upstream": "upstream.test/istio/cdn-one", "target": "target.test/mirror/cdn-one", "tags": ["1.0"] },
                { "name": "two", "upstream": "upstream.test/istio/cdn-two", "target": "target.test/mirror/cdn-two", "tags": ["1.0"] } ],
              "registries": {
                "upstream.test": { "url": "{{proxy.Url}}", "username_env": "UP_USER", "password_env": "UP_PASSWORD" },
                "target.test": { "url": "{{target.Url}}" } } }
            """);
        var env = new Dictionary<string, string> { ["UP_USER"] = User, ["UP_PASSWORD"] = Password, ["HOME"] = _dir };

        var run = await CliRunner.RunAsync(["SyncAll", "--config", config, "--concurrency", "1"], env);
        var again = await CliRunner.RunAsync(["SyncAll", "--config", config], env);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused the signed URL twice (401 Unauthorized)", run.Out, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.Equal(first.Root.Digest, await Skopeo.DigestAsync(target, "mirror/cdn-one:1.0"));
        Assert.Equal(second.Root.Digest, await Skopeo.DigestAsync(target, "mirror/cdn-two:1.0"));
        Assert.Contains(cdn.Seen, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal));
        Assert.All(cdn.Seen, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(cdn.Seen, r => r.PathAndQuery.StartsWith("/token", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("identitytoken")]
    [InlineData("auth")]
    public async Task A_token_endpoint_that_redirects_gets_no_credentials_and_the_redirect_target_gets_nothing(string kind)
    {
        await using var thief = await HostileServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await using var registry = await HostileServer.StartAsync((context, _) =>
        {
            if (context.Request.Path.StartsWithSegments("/token"))
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = new Uri(thief.Url, "steal").ToString();
                return Task.CompletedTask;
            }
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{new Uri(context.Request.Scheme + "://" + context.Request.Host + "/token")}\",service=\"hostile\"";
            return Task.CompletedTask;
        });
        await using var upstream = await RegistryServer.StartAsync();
        await TestImage.Create("redirect").PushAsync(upstream, "istio/redirect", "1.0");
        const string secret = "refresh-or-pass-7f3c9a";
        var entry = kind == "identitytoken"
            ? $$"""{ "identitytoken": "{{secret}}" }"""
            : $$"""{ "auth": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{secret}"))}}" }""";
        var dockerConfig = Write($"docker-{kind}/config.json", $$"""{ "auths": { "hostile.test": {{entry}} } }""");
        var config = Write($"redirect-{kind}.json", $$"""
            { "images": [ { "name": "r", "upstream": "upstream.test/istio/redirect", "target": "hostile.test/mirror/redirect", "tags": ["1.0"] } ],
              "registries": { "upstream.test": { "url": "{{upstream.Url}}" }, "hostile.test": { "url": "{{registry.Url}}", "send_stored_credentials_to": "{{registry.Url}}" } } }
            """);

        var run = await CliRunner.RunAsync(["Status", "--config", config],
            new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.GetDirectoryName(dockerConfig)!, ["HOME"] = _dir });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("redirected to", run.Out, StringComparison.Ordinal);
        Assert.Empty(thief.Seen);
        Assert.Contains(registry.Seen, r => r.PathAndQuery.StartsWith("/token", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_registry_never_sends_credentials_to_a_plain_http_realm_not_even_on_loopback()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password, _dir);
        await using var world = await SyncWorld.StartAsync(tokens.RegistryAuth, targetTls: true);
        await TestImage.Create("http-realm").PushAsync(world.Upstream, "istio/http-realm", "1.0");
        var config = world.File("http-realm.json", """
            { "images": [ { "name": "h", "upstream": "upstream.test/istio/http-realm", "target": "target.test/mirror/h", "tags": ["1.0"] } ],
              "registries": { "target.test": { "username_env": "T_USER", "password_env": "T_PASSWORD", "insecure": true } } }
            """);

        var run = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["T_USER"] = User, ["T_PASSWORD"] = Password }, "Status");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("over plain http", run.Out, StringComparison.Ordinal);
        Assert.Empty(tokens.Requests);
    }

    [Fact]
    public async Task Insecure_true_covers_the_exact_host_and_port_it_names_and_no_other()
    {
        await using var upstream = await RegistryServer.StartAsync();
        await using var trusted = await RegistryServer.StartAsync(tls: true);
        await using var other = await RegistryServer.StartAsync(tls: true);
        await TestImage.Create("exact").PushAsync(upstream, "istio/exact", "1.0");
        var config = Write("exact.json", $$"""
            { "images": [
                { "name": "a", "upstream": "upstream.test/istio/exact", "target": "mine.test/mirror/exact", "tags": ["1.0"] },
                { "name": "b", "upstream": "upstream.test/istio/exact", "target": "other.test/mirror/exact", "tags": ["1.0"] } ],
              "registries": {
                "upstream.test": { "url": "{{upstream.Url}}" },
                "mine.test": { "url": "{{trusted.Url}}", "insecure": true },
                "other.test": { "url": "{{other.Url}}" } } }
            """);

        var run = await CliRunner.RunAsync(["Status", "--config", config], new Dictionary<string, string> { ["HOME"] = _dir });

        Assert.Equal(1, run.ExitCode);
        var lines = run.Out.Split('\n');
        Assert.Contains(lines, l => l.Contains(" a ", StringComparison.Ordinal) && l.Contains("missing", StringComparison.Ordinal));
        Assert.Contains("TLS failed", run.Out, StringComparison.Ordinal);
        Assert.Contains($"warning: TLS certificates of 127.0.0.1:{trusted.Port} are not verified", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_written_into_a_registry_url_are_refused_and_never_printed()
    {
        var config = Write("url.json", """{ "images": [ { "name": "u", "upstream": "upstream.test/a/b", "target": "target.test/a/b", "tags": ["1.0"] } ] }""");

        var run = await CliRunner.RunAsync(["Status", "--config", config, "--registry", "target.test=https://robot:hunter2-in-url@127.0.0.1:5000"],
            new Dictionary<string, string> { ["HOME"] = _dir });
        var inFile = await CliRunner.RunAsync(["Validate", "--config", Write("url-in-file.json", """
            { "images": [ { "name": "u", "upstream": "upstream.test/a/b", "target": "target.test/a/b", "tags": ["1.0"] } ],
              "registries": { "target.test": { "url": "https://robot:hunter2-in-file@127.0.0.1:5000" } } }
            """)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("holds credentials", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-in-url", run.Out + run.Error, StringComparison.Ordinal);
        Assert.Equal(1, inFile.ExitCode);
        Assert.Contains("holds credentials", inFile.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-in-file", inFile.Out + inFile.Error, StringComparison.Ordinal);
    }
}
