using System.Text;
using ImageSync.Config;
using ImageSync.References;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Config;

public class ConfigLoaderTests
{
    private static ConfigLoadResult LoadJson(string json) => ConfigLoader.Load(ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(json));

    private static ConfigLoadResult LoadYaml(string yaml, string? prefix = null) =>
        ConfigLoader.Load(ConfigSource.ExternalImages("e.yaml", prefix), Encoding.UTF8.GetBytes(yaml));

    [Fact]
    public async Task The_shipped_configuration_is_valid()
    {
        var result = await ConfigLoader.LoadAsync(ConfigSource.Json(Path.Combine(TestPaths.RepositoryRoot, "image-sync-config.json")), CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            ["examples-helloworld-v1", "examples-helloworld-v2", "examples-httpbin", "examples-tcp-echo-server"],
            result.Config!.Images.Select(i => i.Name));
        Assert.All(result.Config.Images, i => Assert.Equal("quay.io", i.Target.Registry));
    }

    [Fact]
    public async Task Sail_operators_own_configuration_loads()
    {
        var path = Path.Combine(TestPaths.SailOperator, "hack", "image_sync", "image-sync-config.json");
        var result = await ConfigLoader.LoadAsync(ConfigSource.Json(path), CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(5, result.Config!.MaxTagsToCheck);
        Assert.True(result.Config.CheckNewTags);
        Assert.Equal(["v2.15.0", "latest"], result.Config.Images[2].Tags.Select(t => t.Target));
    }

    [Fact]
    public void Defaults_apply_unless_an_image_overrides_them()
    {
        var result = LoadJson("""
            {
              "defaults": { "platforms": ["linux/amd64", "linux/arm64"], "immutable_tags": true },
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"] },
                { "name": "b", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": ["1.0"],
                  "platforms": ["linux/s390x"], "immutable_tags": false, "required_platforms": ["linux/s390x"] }
              ]
            }
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var (a, b) = (result.Config!.Images[0], result.Config.Images[1]);
        Assert.Equal("linux/amd64,linux/arm64", a.PlatformsDescription);
        Assert.True(a.ImmutableTags);
        Assert.Equal("linux/s390x", b.PlatformsDescription);
        Assert.False(b.ImmutableTags);
        Assert.Equal([Platform.Parse("linux/s390x")], b.RequiredPlatforms);
    }

    [Fact]
    public void Signatures_and_artifact_types_come_from_defaults_unless_an_image_sets_its_own()
    {
        var result = LoadJson("""
            {
              "defaults": { "signatures": "follow", "artifact_types": ["application/vnd.dev.sigstore.bundle.v0.3+json"] },
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"] },
                { "name": "b", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": ["1.0"], "signatures": "none" },
                { "name": "c", "upstream": "docker.io/istio/c", "target": "quay.io/x/c", "tags": ["1.0"], "signatures": "copy", "artifact_types": ["application/spdx+json", "application/vnd.in-toto+json"] }
              ]
            }
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var (a, b, c) = (result.Config!.Images[0], result.Config.Images[1], result.Config.Images[2]);
        Assert.Equal(SignaturesMode.Follow, a.Signatures);
        Assert.Equal(["application/vnd.dev.sigstore.bundle.v0.3+json"], a.ArtifactTypes);
        Assert.Equal(SignaturesMode.None, b.Signatures);
        Assert.Equal(SignaturesMode.Copy, c.Signatures);
        Assert.Equal(["application/spdx+json", "application/vnd.in-toto+json"], c.ArtifactTypes);
        Assert.Equal(SignaturesMode.Copy, LoadJson("""{ "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"] } ] }""").Config!.Images[0].Signatures);
    }

    [Theory]
    [InlineData("\"signatures\": \"always\"", "images[0].signatures", "\"always\" is not a signatures mode: \"copy\" (the default), \"follow\" or \"none\"")]
    [InlineData("\"signatures\": true", "images[0].signatures", "")]
    [InlineData("\"artifact_types\": []", "images[0].artifact_types", "an empty list copies no referrer")]
    [InlineData("\"artifact_types\": [\"sbom\"]", "images[0].artifact_types[0]", "\"sbom\" is not a media type")]
    [InlineData("\"artifact_types\": [\"a/b\", \"a/b\"]", "images[0].artifact_types[1]", "artifact type a/b is listed twice")]
    public void A_bad_signatures_setting_is_an_error_naming_its_field(string field, string path, string message)
    {
        var result = LoadJson($$"""{ "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"], {{field}} } ] }""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Registries_name_environment_variables_not_secrets()
    {
        var result = LoadJson("""
            {
              "images": [],
              "registries": {
                "docker.io": { "url": "http://127.0.0.1:5001" },
                "quay.io": { "username_env": "QUAY_USERNAME", "password_env": "QUAY_PASSWORD" }
              }
            }
            """);
        Assert.False(result.Diagnostics.Any(d => d.IsError), string.Join("\n", result.Diagnostics));
        Assert.Equal(new Uri("http://127.0.0.1:5001"), result.Config!.Registries["docker.io"].Url);
        Assert.Equal("QUAY_PASSWORD", result.Config.Registries["quay.io"].PasswordEnv);
    }

    [Fact]
    public void Reports_every_error_not_just_the_first()
    {
        var result = LoadJson("""
            {
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1 .0"] },
                { "name": "b", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": ["ok", "bad tag"], "colour": 1 }
              ]
            }
            """);
        Assert.Equal(3, result.Errors.Count());
        Assert.Equal(["c.json:3:87: images[0].tags[0]: \"1 .0\" is not a valid tag",
                      "c.json:4:93: images[1].tags[1]: \"bad tag\" is not a valid tag",
                      "c.json:4:105: images[1].colour: unknown field \"colour\""],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void External_images_follow_kymas_rules()
    {
        var digest = "sha256:" + new string('3', 64);
        var result = LoadYaml($"""
            images:
            - source: "busybox:1.31.1"
            - source: "bitnami/postgres-exporter:0.8.0"
              amd64Only: true
            - source: "busybox@{digest}"
              tag: "1.32.0-v1"
            - source: "ghcr.io/org/tool:2.0"
              tag: "2.0-patched"
            """, prefix: "europe-docker.pkg.dev/kyma-project/prod/external/");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var images = result.Config!.Images;

        Assert.Equal("europe-docker.pkg.dev/kyma-project/prod/external/library/busybox", images[0].Target.Name);
        Assert.Equal("docker.io/library/busybox", images[0].Upstream.Name);
        Assert.Equal(("1.31.1", "1.31.1"), (images[0].Tags[0].Source, images[0].Tags[0].Target));
        Assert.All(images, i => Assert.True(i.ImmutableTags));

        Assert.Equal("linux/amd64", images[1].PlatformsDescription);
        Assert.Equal("all", images[0].PlatformsDescription);

        Assert.Equal((digest, "1.32.0-v1"), (images[2].Tags[0].Source, images[2].Tags[0].Target));
        Assert.True(images[2].Tags[0].SourceIsDigest);

        Assert.Equal("europe-docker.pkg.dev/kyma-project/prod/external/ghcr.io/org/tool", images[3].Target.Name);
        Assert.Equal(("2.0", "2.0-patched"), (images[3].Tags[0].Source, images[3].Tags[0].Target));
    }

    [Fact]
    public void Command_line_prefix_wins_over_the_files_prefix()
    {
        var result = LoadYaml("""
            targetRepoPrefix: quay.io/from-file
            images:
            - source: alpine:3.20
            """, prefix: "quay.io/from-flag");
        Assert.Equal("quay.io/from-flag/library/alpine", result.Config!.Images[0].Target.Name);
        Assert.Equal("quay.io/from-file/library/alpine", LoadYaml("targetRepoPrefix: quay.io/from-file\nimages:\n- source: alpine:3.20\n").Config!.Images[0].Target.Name);
    }

    [Fact]
    public async Task A_missing_file_is_one_clear_error()
    {
        var result = await ConfigLoader.LoadAsync(ConfigSource.Json("/nonexistent/c.json"), CancellationToken.None);
        Assert.Equal("/nonexistent/c.json:1:1: cannot read the configuration: no such file", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var result = LoadJson("{\"images\": [{\"name\": \"é\", \"upstream\": \"docker.io/a/b\", \"target\": \"quay.io/a/b\", \"tags\": [\"x y\"]}]}");
        Assert.Equal("c.json:1:90: images[0].tags[0]: \"x y\" is not a valid tag", result.Errors.Single(e => e.Field.Contains("tags", StringComparison.Ordinal)).ToString());
    }
}
