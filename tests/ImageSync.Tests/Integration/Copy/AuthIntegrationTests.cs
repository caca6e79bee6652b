using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>Logging in to real registries: htpasswd Basic, and Bearer through a token server the test runs.</summary>
public sealed class AuthIntegrationTests : IAsyncLifetime
{
    private const string User = "robot";
    private const string Password = "s3cret-Pa55word";
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-auth-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Basic_auth_with_credentials_named_in_the_config_copies_and_never_prints_the_password()
    {
        await using var world = await SyncWorld.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        var image = TestImage.Create("basic");
        await image.PushAsync(world.Upstream, "istio/basic", "1.0");
        var config = world.File("basic.json", """
            { "images": [ { "name": "basic", "upstream": "upstream.test/istio/basic", "target": "target.test/mirror/basic", "tags": ["1.0"] } ],
              "registries": { "target.test": { "username_env": "TARGET_USER", "password_env": "TARGET_PASSWORD" } } }
            """);
        var env = new Dictionary<string, string> { ["TARGET_USER"] = User, ["TARGET_PASSWORD"] = Password };

        var run = await world.RunWithEnvironmentAsync(config, env, "SyncAll", "--debug");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(world.Target, "mirror/basic:1.0", (User, Password)));
        Assert.Contains("debug: PUT", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", run.Error, StringComparison.OrdinalIgnoreCase);

        var wrong = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["TARGET_USER"] = User, ["TARGET_PASSWORD"] = "wrong-password" }, "Status", "--debug");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("401 Unauthorized (credentials from TARGET_USER/TARGET_PASSWORD)", wrong.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", wrong.Out + wrong.Error, StringComparison.Ordinal);

        var anonymous = await world.RunAsync(config, "Status");
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("TARGET_USER and TARGET_PASSWORD are not set", anonymous.Error, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized (no credentials found for it;", anonymous.Out, StringComparison.Ordinal);

        // One of the two given: the warning names the one that is missing.
        var half = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["TARGET_USER"] = User }, "Status");
        Assert.Contains("warning: TARGET_PASSWORD is not set; target.test is tried with other credentials or anonymously", half.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_credentials_come_from_dockers_config_json_keyed_by_the_host_they_are_for()
    {
        await using var world = await SyncWorld.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        var image = TestImage.Create("docker-config");
        await image.PushAsync(world.Upstream, "istio/dc", "1.0");
        var config = world.Config(("dc", "istio/dc", "mirror/dc", ["1.0"], ""));
        var dockerConfig = Path.Combine(_dir, "docker");
        Directory.CreateDirectory(dockerConfig);
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), $$"""{ "auths": { "{{world.Target.Host}}": { "auth": "{{auth}}" } } }""");

        var run = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig }, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(world.Target, "mirror/dc:1.0", (User, Password)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_docker_credential_helper_named_in_credHelpers_supplies_the_login()
    {
        await using var world = await SyncWorld.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        var image = TestImage.Create("helper");
        await image.PushAsync(world.Upstream, "istio/helper", "1.0");
        var config = world.Config(("helper", "istio/helper", "mirror/helper", ["1.0"], ""));
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var helper = Path.Combine(bin, "docker-credential-imagesync-test");
        await File.WriteAllTextAsync(helper, $$"""
            #!/bin/sh
            read server
            if [ "$server" = "{{world.Target.Host}}" ]; then
              printf '{"ServerURL":"%s","Username":"{{User}}","Secret":"{{Password}}"}' "$server"
            else
              echo "credentials not found in native keychain"; exit 1
            fi
            """);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dockerConfig = Path.Combine(_dir, "helper-config");
        Directory.CreateDirectory(dockerConfig);
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), $$"""{ "credHelpers": { "{{world.Target.Host}}": "imagesync-test" } }""");
        // The helper is found on PATH, as Docker finds it; adding a folder does not disturb other tests.
        Environment.SetEnvironmentVariable("PATH", $"{Environment.GetEnvironmentVariable("PATH")}:{bin}");

        var run = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig }, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(world.Target, "mirror/helper:1.0", (User, Password)));
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_tokens_from_the_registrys_token_server_cover_push_and_the_mount_source_in_one_token()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password, _dir);
        await using var world = await SyncWorld.StartAsync(tokens.RegistryAuth);
        var shared = TestImage.RandomBytes("token-shared", 128 * 1024);
        var one = TestImage.Create("token-one", sharedBase: shared);
        var two = TestImage.Create("token-two", sharedBase: shared);
        await one.PushAsync(world.Upstream, "istio/t1", "1.0");
        await two.PushAsync(world.Upstream, "istio/t2", "1.0");
        var config = world.File("token.json", """
            { "images": [
                { "name": "t1", "upstream": "upstream.test/istio/t1", "target": "target.test/mirror/t1", "tags": ["1.0"] },
                { "name": "t2", "upstream": "upstream.test/istio/t2", "target": "target.test/mirror/t2", "tags": ["1.0"] } ],
              "registries": { "target.test": { "username_env": "TARGET_USER", "password_env": "TARGET_PASSWORD" } } }
            """);
        var env = new Dictionary<string, string> { ["TARGET_USER"] = User, ["TARGET_PASSWORD"] = Password };

        var run = await world.RunWithEnvironmentAsync(config, env, "SyncAll", "--concurrency", "1", "--checks", "1");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var requests = tokens.Requests.ToArray();
        Assert.All(requests, r => Assert.StartsWith("Basic ", r.Authorization, StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Scopes.Contains("repository:mirror/t1:pull,push"));
        Assert.Contains(requests, r => r.Scopes.Contains("repository:mirror/t2:pull,push") && r.Scopes.Any(s => s.StartsWith("repository:mirror/t1:pull", StringComparison.Ordinal)));
        // Cached per scope set: a handful of token requests for the whole run, not one per request.
        Assert.True(requests.Length <= 6, $"{requests.Length} token requests");
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await world.RunWithEnvironmentAsync(config, env, "Status")).ExitCode);
    }

    [Fact]
    public async Task A_docker_identity_token_is_exchanged_with_the_oauth2_refresh_token_grant()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password, _dir);
        await using var world = await SyncWorld.StartAsync(tokens.RegistryAuth);
        var image = TestImage.Create("identity");
        await image.PushAsync(world.Upstream, "istio/identity", "1.0");
        var config = world.Config(("identity", "istio/identity", "mirror/identity", ["1.0"], ""));
        var dockerConfig = Path.Combine(_dir, "identity-config");
        Directory.CreateDirectory(dockerConfig);
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"),
            $$"""{ "auths": { "{{world.Target.Host}}": { "auth": "{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("<token>:"))}}", "identitytoken": "{{TokenServer.RefreshToken}}" } } }""");

        var run = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig }, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.All(tokens.Requests, r => Assert.Equal("POST grant_type=refresh_token", r.Authorization));
        Assert.Contains(tokens.Requests, r => r.Scopes.Contains("repository:mirror/identity:pull,push"));
        Assert.DoesNotContain(TokenServer.RefreshToken, run.Out + run.Error, StringComparison.Ordinal);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(world.Target, "mirror/identity:1.0", (User, Password)));
    }

    [Fact]
    public async Task A_static_access_token_is_sent_to_the_external_images_target_only_and_never_printed()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password, _dir);
        await using var world = await SyncWorld.StartAsync(tokens.RegistryAuth);
        await TestImage.Create("static").PushAsync(world.Upstream, "istio/static", "1.0");
        var images = world.File("static-images.yaml", "images:\n- source: upstream.test/istio/static:1.0\n");
        string[] mappings = ["--registry", $"upstream.test={world.Upstream.Url}", "--registry", $"target.test={world.Target.Url}"];

        var run = await CliRunner.RunAsync(["Status", "--images-file", images, "--target-repo-prefix", "target.test/mirror", .. mappings],
            new Dictionary<string, string> { ["SYNCER_ACCESS_TOKEN"] = "not-a-valid-token", ["HOME"] = _dir });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("401", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-valid-token", run.Out + run.Error, StringComparison.Ordinal);
        Assert.Empty(tokens.Requests);
        Assert.Contains(await world.Target.RequestsAsync(), r => r.Path.Contains("/v2/mirror/", StringComparison.Ordinal) && r.Status == 401);

        // With image-sync-config.json the variable names no registry: it is ignored, said so, and never sent.
        var config = world.Config(("static", "istio/static", "mirror/static", ["1.0"], ""));
        var json = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["SYNCER_ACCESS_TOKEN"] = "not-a-valid-token" }, "Status");
        Assert.Contains("SYNCER_ACCESS_TOKEN is ignored", json.Error, StringComparison.Ordinal);
        Assert.All(tokens.Requests, r => Assert.Null(r.Authorization));
    }

    [Theory]
    [InlineData("REGISTRY_AUTH_FILE")]
    [InlineData("XDG_RUNTIME_DIR")]
    public async Task Podman_and_skopeo_auth_files_are_read_where_they_look_for_them(string variable)
    {
        await using var world = await SyncWorld.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        var image = TestImage.Create("podman-" + variable);
        await image.PushAsync(world.Upstream, "istio/podman", "1.0");
        var config = world.Config(("podman", "istio/podman", "mirror/podman", ["1.0"], ""));
        var folder = Path.Combine(_dir, variable);
        var file = variable == "REGISTRY_AUTH_FILE" ? Path.Combine(folder, "my-auth.json") : Path.Combine(folder, "containers", "auth.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, $$"""{ "auths": { "{{world.Target.Host}}": { "auth": "{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"))}}" } } }""");

        var run = await world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { [variable] = variable == "REGISTRY_AUTH_FILE" ? file : folder }, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(world.Target, "mirror/podman:1.0", (User, Password)));
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
    }
}
