using System.Collections.Concurrent;
using System.Text;
using ImageSync.Tests.Support;
using static ImageSync.Tests.Support.Personality;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// Google Artifact Registry as a target. Its /v2/ answers 401 with
/// <c>Bearer realm="https://LOCATION-docker.pkg.dev/v2/token",service="LOCATION-docker.pkg.dev"</c>; <c>_json_key</c>
/// (the key file as password) and <c>oauth2accesstoken</c> (an access token from <c>gcloud auth
/// print-access-token</c>) are Basic credentials to that token endpoint, which issues the bearer token
/// ("Configure authentication to Artifact Registry for Docker", cloud.google.com/artifact-registry/docs/docker/authentication).
/// Images live at HOST/PROJECT/REPOSITORY/IMAGE and the repository must exist before the first push: a push to
/// another answers 404 NAME_UNKNOWN 'Repository "X" not found' (GoogleCloudPlatform/developer-journey-app#117).
/// It does not mount across projects: a mount POST opens an ordinary upload.
/// </summary>
public sealed class ArtifactRegistryTests : IAsyncLifetime
{
    private const string Key = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"proj-b\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"\n}\n";
    private const string AccessToken = "ya29.a0AfH6SMBx-access-token-0123456789";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-gar-").FullName;
    private RegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("_json_key")]
    [InlineData("oauth2accesstoken")]
    public async Task Basic_credentials_go_to_the_token_realm_for_a_bearer_token_and_a_repository_not_created_is_named_with_its_gcloud_command(string user)
    {
        var password = user == "_json_key" ? Key : AccessToken;
        var env = new Dictionary<string, string> { ["HOME"] = _dir };
        if (user == "_json_key")
        {
            var keyFile = Path.Combine(_dir, "key.json");
            await File.WriteAllTextAsync(keyFile, Key);
            env["SYNCER_TARGET_REPO_AUTH_KEY"] = keyFile;
        }
        else
        {
            // What `docker login -u oauth2accesstoken -p "$(gcloud auth print-access-token)" us-docker.pkg.dev` writes.
            Directory.CreateDirectory(Path.Combine(_dir, ".docker"));
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            await File.WriteAllTextAsync(Path.Combine(_dir, ".docker", "config.json"), $$"""{ "auths": { "us-docker.pkg.dev": { "auth": "{{auth}}" } } }""");
        }
        var image = TestImage.Create("gar-" + user, ["linux/amd64"], [64 * 1024]);
        await image.PushAsync(_registry, "proj-a/team/app", "1.0");
        await using var tokens = await TokenServer.StartAsync(user, password, _dir, service: "us-docker.pkg.dev");
        using var backend = new HttpClient();
        var apiAuthorizations = new ConcurrentQueue<string>();
        string[] created = ["team", "mirror"];
        await using var gar = await FaultProxy.StartAsync(_registry.Url, forwardHost: true);
        gar.Rule = (request, _) =>
        {
            if (request.Path.Value == "/v2/token")
            {
                return new Fault.Respond(async context =>
                {
                    using var exchange = new HttpRequestMessage(HttpMethod.Get, tokens.Realm + context.Request.QueryString.Value);
                    exchange.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
                    using var answer = await backend.SendAsync(exchange);
                    await HostileServer.Json(context, (int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
                });
            }
            apiAuthorizations.Enqueue(request.Headers.Authorization.ToString());
            var path = request.Path.Value!;
            return !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                ? Challenge($"Bearer realm=\"{gar.Url}v2/token\",service=\"us-docker.pkg.dev\"")
                : path != "/v2/" && Repository(request).Split('/') is var parts && !created.Contains(parts[1])
                    ? Error(404, "NAME_UNKNOWN", $"Repository \"{parts[1]}\" not found")
                : request.Method == "POST" && request.Query.ContainsKey("mount") && request.Query["from"].ToString().Split('/')[0] != Repository(request).Split('/')[0]
                    ? OpenUploadInsteadOfMount(backend, _registry.Url, () => gar.Url, request)
                    : null;
        };
        var images = Path.Combine(_dir, "gar-images.yaml");
        await File.WriteAllTextAsync(images, "images:\n- source: us-docker.pkg.dev/proj-a/team/app:1.0\n");
        string[] Args(string prefix)
        {
            if (user == "_json_key")
            {
                return ["--images-file", images, "--target-repo-prefix", $"us-docker.pkg.dev/proj-b/{prefix}", "--registry", $"us-docker.pkg.dev={gar.Url}"];
            }
            // A login docker stored for the name goes to the endpoint the name is mapped to only when the config says so.
            var config = Path.Combine(_dir, $"gar-{prefix}.json");
            File.WriteAllText(config, $$"""
                { "images": [ { "name": "app", "upstream": "us-docker.pkg.dev/proj-a/team/app", "target": "us-docker.pkg.dev/proj-b/{{prefix}}/us-docker.pkg.dev/proj-a/team/app", "tags": ["1.0"] } ],
                  "registries": { "us-docker.pkg.dev": { "url": "{{gar.Url}}", "send_stored_credentials_to": "{{gar.Url.GetLeftPart(UriPartial.Authority)}}" } } }
                """);
            return ["--config", config];
        }

        var status = await CliRunner.RunAsync(["Status", .. Args("mirror")], env);
        var cold = await CliRunner.RunAsync(["SyncAll", .. Args("mirror")], env);
        var warm = await CliRunner.RunAsync(["SyncAll", .. Args("mirror")], env);
        var missing = await CliRunner.RunAsync(["SyncAll", .. Args("not-created")], env);

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_registry, "proj-b/mirror/us-docker.pkg.dev/proj-a/team/app:1.0"));
        // The Basic credential went to the token endpoint, which gave a bearer token: the API itself never saw Basic.
        Assert.Contains(tokens.Requests, r => r.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) && r.Scopes.Contains("repository:proj-b/mirror/us-docker.pkg.dev/proj-a/team/app:pull,push"));
        Assert.Contains(apiAuthorizations, a => a.StartsWith("Bearer ", StringComparison.Ordinal));
        Assert.DoesNotContain(apiAuthorizations, a => a.StartsWith("Basic", StringComparison.Ordinal));
        Assert.Contains(gar.Seen, s => s.Method == "POST" && s.Path.Contains("mount=", StringComparison.Ordinal) && s.Status == 202);
        Assert.Contains(gar.Seen, s => s.Method == "PUT" && s.Path.Contains("/blobs/uploads/", StringComparison.Ordinal) && s.Status == 201);
        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("the repository proj-b/not-created/us-docker.pkg.dev/proj-a/team/app does not exist in us-docker.pkg.dev, and this registry does not create it on push", missing.Out, StringComparison.Ordinal);
        Assert.Contains("Artifact Registry: gcloud artifacts repositories create not-created --repository-format=docker --location=us --project=proj-b", missing.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", cold.Out + cold.Error + warm.Out + missing.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, cold.Out + cold.Error + warm.Out + missing.Out, StringComparison.Ordinal);
    }
}
