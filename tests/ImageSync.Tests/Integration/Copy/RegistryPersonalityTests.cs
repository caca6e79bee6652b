using System.Net.Http.Headers;
using System.Text;
using ImageSync.Tests.Support;
using Microsoft.AspNetCore.Http;
using static ImageSync.Tests.Support.Personality;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// The registries users run against, as their documentation and their clients' issue trackers describe them,
/// reproduced in front of a real docker-registry: Docker Hub, quay.io, ghcr.io, Artifact Registry, ECR, Harbor, and
/// registries with HEAD quirks or schema 1 manifests. Each personality gets Status, a cold and a warm Sync, and the
/// failure that service is known for.
/// </summary>
public sealed class RegistryPersonalityTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-personality-").FullName;
    private RegistryServer _upstream = null!;
    private RegistryServer _target = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(RegistryServer.StartAsync(), RegistryServer.StartAsync());
        (_upstream, _target) = (servers[0], servers[1]);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Config(string json)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private Task<CliRun> RunAsync(string config, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["HOME"] = _dir };
        return CliRunner.RunAsync([.. args, "--config", config], env);
    }

    [Fact]
    public async Task Docker_hub_token_realm_implicit_library_cdn_redirects_rate_limit_headers_and_toomanyrequests()
    {
        var image = TestImage.Create("hub", ["linux/amd64", "linux/arm64"]);
        await image.PushAsync(_upstream, "library/busybox", "1.36");
        await TestImage.Create("hub-next").PushAsync(_upstream, "library/busybox", "1.37");
        await using var tokens = await TokenServer.StartAsync("hubuser", "hubpass", _dir, service: "registry.docker.io", anonymousPull: true);
        using var storage = new HttpClient();
        await using var cdn = await HostileServer.StartAsync(async (context, _) =>
        {
            using var blob = await storage.GetAsync(new Uri(_upstream.Url, context.Request.Path.Value!.TrimStart('/')));
            context.Response.StatusCode = (int)blob.StatusCode;
            await blob.Content.CopyToAsync(context.Response.Body);
        });
        var allowance = 4;
        await using var hub = await FaultProxy.StartAsync(_upstream.Url);
        hub.Rule = (request, _) =>
            request.Headers.Authorization.Count == 0
                ? Challenge($"Bearer realm=\"{tokens.Realm}\",service=\"registry.docker.io\"")
            : request.Method == "GET" && request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal)
                ? new Fault.Respond(context =>
                {
                    context.Response.StatusCode = 307;
                    context.Response.Headers.Location = new Uri(cdn.Url, request.Path.Value!.TrimStart('/')).ToString();
                    return Task.CompletedTask;
                })
            : IsManifest(request, "GET") && Interlocked.Decrement(ref allowance) < 0
                ? new Fault.Respond(context =>
                {
                    context.Response.Headers["ratelimit-limit"] = "4;w=21600";
                    context.Response.Headers["ratelimit-remaining"] = "0;w=21600";
                    return HostileServer.Json(context, 429, """{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"}]}""");
                })
            : IsManifest(request, "GET")
                ? new Fault.AddHeaders(new Dictionary<string, string> { ["ratelimit-limit"] = "4;w=21600", ["ratelimit-remaining"] = $"{Math.Max(allowance, 0)};w=21600" })
                : null;
        var config = Config($$"""
            { "images": [ { "name": "busybox", "upstream": "docker.io/busybox", "target": "target.test/mirror/busybox", "tags": ["1.36"] } ],
              "registries": { "docker.io": { "url": "{{hub.Url}}" }, "target.test": { "url": "{{_target.Url}}" } } }
            """);

        var status = await RunAsync(config, null, "Status");
        var cold = await RunAsync(config, null, "SyncAll");
        var warm = await RunAsync(config, null, "SyncAll");
        var next = Config(File.ReadAllText(config).Replace("[\"1.36\"]", "[\"1.36\", \"1.37\"]", StringComparison.Ordinal));
        var limited = await RunAsync(next, null, "SyncAll", "--retries", "0");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Contains("missing", status.Out, StringComparison.Ordinal);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/busybox:1.36"));
        Assert.Contains("docker.io: 3 manifest GETs this run; pull allowance left: 1 of 4", cold.Out, StringComparison.Ordinal);
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.DoesNotContain("manifest GET", warm.Out, StringComparison.Ordinal);
        Assert.Contains(tokens.Requests, r => r.Scopes.Contains("repository:library/busybox:pull"));
        Assert.Contains(cdn.Seen, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal));
        Assert.All(cdn.Seen, r => Assert.Null(r.Authorization));
        Assert.Equal(1, limited.ExitCode);
        Assert.Contains("429 Too Many Requests: TOOMANYREQUESTS You have reached your pull rate limit", limited.Out, StringComparison.Ordinal);
        Assert.Contains("pull allowance left: 0 of 4", limited.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quay_robot_accounts_exchange_basic_for_a_token_and_ghcr_serves_public_images_to_anonymous_tokens()
    {
        await using var ghcrTokens = await TokenServer.StartAsync("octocat", "ghp_unused", _dir, service: "ghcr.io", anonymousPull: true);
        await using var quayTokens = await TokenServer.StartAsync("sail-dev+mirror", "ROBOT-TOKEN-0123456789", _dir, service: "quay.io");
        await using var quay = await RegistryServer.StartAsync(quayTokens.RegistryAuth);
        var image = TestImage.Create("ghcr");
        await image.PushAsync(_upstream, "org/tool", "2.0");
        // ghcr.io's auth layer in front of the registry: public images take an anonymous token.
        await using var ghcr = await FaultProxy.StartAsync(_upstream.Url);
        ghcr.Rule = (request, _) => request.Headers.Authorization.Count == 0 ? Challenge($"Bearer realm=\"{ghcrTokens.Realm}\",service=\"ghcr.io\"") : null;
        var config = Config($$"""
            { "images": [ { "name": "tool", "upstream": "ghcr.io/org/tool", "target": "quay.io/sail-dev/tool", "tags": ["2.0"] } ],
              "registries": { "ghcr.io": { "url": "{{ghcr.Url}}" },
                              "quay.io": { "url": "{{quay.Url}}", "username_env": "QUAY_USERNAME", "password_env": "QUAY_PASSWORD" } } }
            """);
        var robot = new Dictionary<string, string> { ["QUAY_USERNAME"] = "sail-dev+mirror", ["QUAY_PASSWORD"] = "ROBOT-TOKEN-0123456789" };

        var status = await RunAsync(config, robot, "Status");
        var cold = await RunAsync(config, robot, "SyncAll");
        var warm = await RunAsync(config, robot, "SyncAll");
        var wrong = await RunAsync(config, new Dictionary<string, string> { ["QUAY_USERNAME"] = "sail-dev+mirror", ["QUAY_PASSWORD"] = "expired-robot-token" }, "Status");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(quay, "sail-dev/tool:2.0", ("sail-dev+mirror", "ROBOT-TOKEN-0123456789")));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Contains(ghcrTokens.Requests, r => r.Authorization is null && r.Scopes.Contains("repository:org/tool:pull"));
        Assert.Contains(quayTokens.Requests, r => r.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("sail-dev+mirror:ROBOT-TOKEN-0123456789")));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("check credentials from QUAY_USERNAME/QUAY_PASSWORD", wrong.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("expired-robot-token", wrong.Out + wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ecr_needs_repositories_created_first_and_refuses_to_overwrite_an_immutable_tag()
    {
        var password = "eyJwYXlsb2FkIjoi" + new string('Q', 1800);
        var image = TestImage.Create("ecr");
        await image.PushAsync(_upstream, "istio/app", "1.0");
        var other = TestImage.Create("ecr-other");
        await other.PushAsync(_target, "mirror/immutable", "1.0");
        await using var ecr = await FaultProxy.StartAsync(_target.Url, forwardHost: true);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password));
        string[] existing = ["mirror/app", "mirror/immutable"];
        ecr.Rule = (request, _) =>
        {
            var repository = Repository(request);
            return request.Headers.Authorization.ToString() != expected ? Challenge("Basic realm=\"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/\",service=\"ecr.amazonaws.com\"")
                : request.Path.Value != "/v2/" && !existing.Contains(repository) ? Error(404, "NAME_UNKNOWN", $"The repository with name '{repository}' does not exist in the registry with id '123456789012'")
                : repository == "mirror/immutable" && IsManifest(request, "PUT") && !request.Path.Value!.Contains("sha256:", StringComparison.Ordinal)
                    ? Error(400, "TAG_INVALID", $"The image tag '1.0' already exists in the '{repository}' repository and cannot be overwritten because the tag is immutable.")
                    : null;
        };
        var config = Config($$"""
            { "images": [
                { "name": "app", "upstream": "upstream.test/istio/app", "target": "ecr.test/mirror/app", "tags": ["1.0"] },
                { "name": "missing", "upstream": "upstream.test/istio/app", "target": "ecr.test/mirror/not-created", "tags": ["1.0"] },
                { "name": "immutable", "upstream": "upstream.test/istio/app", "target": "ecr.test/mirror/immutable", "tags": ["1.0"] } ],
              "registries": { "upstream.test": { "url": "{{_upstream.Url}}" },
                              "ecr.test": { "url": "{{ecr.Url}}", "username_env": "ECR_USER", "password_env": "ECR_PASSWORD" } } }
            """);
        var env = new Dictionary<string, string> { ["ECR_USER"] = "AWS", ["ECR_PASSWORD"] = password };

        var status = await RunAsync(config, env, "Status", "--image", "app");
        var cold = await RunAsync(config, env, "SyncAll");
        var warm = await RunAsync(config, env, "Sync", "--image", "app");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 1, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/app:1.0"));
        Assert.Contains("the repository mirror/not-created does not exist in ecr.test, and this registry does not create it on push: create it first (Amazon ECR: aws ecr create-repository --repository-name mirror/not-created, or once for every repository under a prefix: aws ecr create-repository-creation-template --prefix mirror --applied-for CREATE_ON_PUSH)", cold.Out, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(cold.Out, @"immutable\s+│\s+1\.0\s+│\s+conflict"), cold.Out);
        Assert.Contains("the registry keeps its immutable tag and refused to overwrite it", cold.Out, StringComparison.Ordinal);
        Assert.Equal(other.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/immutable:1.0"));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.DoesNotContain(password, cold.Out + cold.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harbor_robot_accounts_with_a_dollar_sign_log_in_and_an_immutability_rule_is_a_conflict_not_a_crash()
    {
        const string robot = "robot$mirror+ci";
        await using var tokens = await TokenServer.StartAsync(robot, "harbor-robot-secret", _dir, service: "harbor-registry");
        var image = TestImage.Create("harbor");
        await image.PushAsync(_upstream, "istio/app", "1.0");
        await image.PushAsync(_upstream, "istio/app", "1.1");
        await TestImage.Create("harbor-old").PushAsync(_target, "mirror/app", "1.1");
        await using var harbor = await FaultProxy.StartAsync(_target.Url, forwardHost: true);
        harbor.Rule = (request, _) =>
            request.Headers.Authorization.Count == 0 ? Challenge($"Bearer realm=\"{tokens.Realm}\",service=\"harbor-registry\"")
            : IsManifest(request, "PUT") && request.Path.Value!.EndsWith("/manifests/1.1", StringComparison.Ordinal)
                ? Error(412, "PRECONDITION", "Failed to process request due to 'app:1.1' configured as immutable.")
                : null;
        var config = Config($$"""
            { "images": [ { "name": "app", "upstream": "upstream.test/istio/app", "target": "harbor.test/mirror/app", "tags": ["1.0", "1.1"] } ],
              "registries": { "upstream.test": { "url": "{{_upstream.Url}}" },
                              "harbor.test": { "url": "{{harbor.Url}}", "username_env": "HARBOR_USER", "password_env": "HARBOR_PASSWORD" } } }
            """);
        var env = new Dictionary<string, string> { ["HARBOR_USER"] = robot, ["HARBOR_PASSWORD"] = "harbor-robot-secret" };

        var status = await RunAsync(config, env, "Status");
        var cold = await RunAsync(config, env, "SyncAll");
        var warm = await RunAsync(config, env, "SyncAll", "--tag", "1.0", "--image", "app");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 2, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/app:1.0"));
        Assert.Matches(@"app\s+│\s+1\.1\s+│\s+conflict", cold.Out);
        Assert.Contains("412 Precondition Failed: PRECONDITION Failed to process request due to 'app:1.1' configured as immutable.", cold.Out, StringComparison.Ordinal);
        Assert.Contains(tokens.Requests, r => r.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(robot + ":harbor-robot-secret")));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
    }

    [Theory]
    [InlineData("no-digest")]
    [InlineData("405")]
    public async Task A_registry_whose_head_gives_no_digest_is_read_with_get_once_it_is_known(string quirk)
    {
        var image = TestImage.Create("head-" + quirk);
        await image.PushAsync(_upstream, "istio/head", "1.0");
        await using var quirky = await FaultProxy.StartAsync(_upstream.Url);
        quirky.Rule = (request, _) => !IsManifest(request, "HEAD") ? null
            : quirk == "405" ? new Fault.Status(405) : new Fault.DropHeaders("Docker-Content-Digest");
        var config = Config($$"""
            { "images": [ { "name": "head", "upstream": "quirky.test/istio/head", "target": "target.test/mirror/head", "tags": ["1.0"] } ],
              "registries": { "quirky.test": { "url": "{{quirky.Url}}" }, "target.test": { "url": "{{_target.Url}}" } } }
            """);

        var status = await RunAsync(config, null, "Status", "--debug");
        var cold = await RunAsync(config, null, "SyncAll", "--debug");
        var warm = await RunAsync(config, null, "SyncAll", "--debug");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_target, "mirror/head:1.0"));
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Single(warm.Error.Split('\n'), l => l.Contains("quirky.test", StringComparison.Ordinal) && l.Contains("checked with GET from now on", StringComparison.Ordinal));
        Assert.Equal(1, warm.Error.Split('\n').Count(l => l.StartsWith("debug: HEAD", StringComparison.Ordinal) && l.Contains(quirky.Url.Authority, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_docker_schema_1_manifest_is_refused_and_nothing_is_written()
    {
        await TestImage.Create("schema1").PushAsync(_upstream, "istio/old", "1.0");
        await using var old = await FaultProxy.StartAsync(_upstream.Url);
        old.Rule = (request, _) => IsManifest(request, "GET")
            ? new Fault.Respond(context =>
            {
                context.Response.ContentType = "application/vnd.docker.distribution.manifest.v1+prettyjws";
                return context.Response.WriteAsync("""{"schemaVersion":1,"name":"istio/old","tag":"1.0","architecture":"amd64","fsLayers":[],"history":[],"signatures":[]}""");
            })
            : null;
        var config = Config($$"""
            { "images": [ { "name": "old", "upstream": "old.test/istio/old", "target": "target.test/mirror/old", "tags": ["1.0"] } ],
              "registries": { "old.test": { "url": "{{old.Url}}" }, "target.test": { "url": "{{_target.Url}}" } } }
            """);

        var run = await RunAsync(config, null, "SyncAll");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Docker schema 1 manifests are deprecated and not copied", run.Out, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_target, "mirror/old:1.0"));
    }
}
