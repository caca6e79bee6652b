using System.Text;
using ImageSync.Config;
using ImageSync.Kustomize;
using ImageSync.Tests.Support;
using ImageSync.Upstream;

namespace ImageSync.Tests.Kustomize;

/// <summary>Deriving a configuration's images from kustomizations: pairs, what is not ours, and what Validate reports.</summary>
public sealed class KustomizeImagesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kz-images-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, path))!);
        File.WriteAllText(Path.Combine(_root, path), content);
    }

    private async Task<ConfigLoadResult> LoadAsync(string json, UpstreamFetch? fetch = null)
    {
        Write("image-sync-config.json", json);
        var loaded = ConfigLoader.Load(ConfigSource.Json(Path.Combine(_root, "image-sync-config.json")), Encoding.UTF8.GetBytes(json));
        return await KustomizeImages.AddAsync(loaded, fetch, CancellationToken.None);
    }

    /// <summary>The finding as a user in the repository's root sees it.</summary>
    private string Text(Diagnostic d) => d.ToString().Replace(_root + "/", "", StringComparison.Ordinal);

    private const string SailConfig = """{ "kustomize": { "paths": ["tests/e2e/samples/"], "targets": ["quay.io/sail-dev/"] } }""";

    private static string Pod(string image) => $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: {image}\n";

    [Fact]
    public async Task Sail_operators_samples_yield_the_four_images_its_e2e_tests_pull_and_curl_is_not_ours()
    {
        TestPaths.CopyDirectory(Path.Combine(TestPaths.SailOperator, "tests"), Path.Combine(_root, "tests"));
        var result = await LoadAsync(SailConfig);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var images = result.Config!.Images;
        Assert.Equal(
            ["quay.io/sail-dev/examples-helloworld-v1:1.0 <- registry.istio.io/release/examples-helloworld-v1:1.0",
             "quay.io/sail-dev/examples-helloworld-v2:1.0 <- registry.istio.io/release/examples-helloworld-v2:1.0",
             "quay.io/sail-dev/go-httpbin:v2.15.0 <- docker.io/mccutchen/go-httpbin:v2.15.0",
             "quay.io/sail-dev/tcp-echo-server:1.3 <- registry.istio.io/release/tcp-echo-server:1.3"],
            images.SelectMany(i => i.Tags.Select(t => $"{i.Target}:{t.Target} <- {i.Upstream}:{t.Source}")));
        Assert.Equal(["examples-helloworld-v1", "examples-helloworld-v2", "go-httpbin", "tcp-echo-server"], images.Select(i => i.Name));
        Assert.Equal(3, images[3].Origins!.Count);
        Assert.Equal("1.3: tests/e2e/samples/tcp-echo-ipv4/kustomization.yaml (tests/e2e/samples/tcp-echo-ipv4/tcp-echo-ipv4.yaml:56:16)", images[3].Origins![1].Replace(_root + "/", "", StringComparison.Ordinal));
        var notOurs = Assert.Single(result.Kustomize!.NotOurs);
        Assert.StartsWith("quay.io/curl/curl:8.16.0: maintained elsewhere, not mirrored", notOurs.NotMirroredLine, StringComparison.Ordinal);
        // The short-name entry in sleep/kustomization.yaml can never match: kustomize adds no docker.io/.
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("tests/e2e/samples/sleep/kustomization.yaml:6:11: warning: images: \"curlimages/curl\" matches no image", Text(warning), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unmapped_image_and_an_entry_that_matches_nothing_are_reported_where_they_are()
    {
        Write("k/res.yaml", Pod("nginx:1.25"));
        Write("k/kustomization.yaml", "resources:\n- res.yaml\nimages:\n- name: docker.io/library/nginx\n  newName: quay.io/m/nginx\n");
        var result = await LoadAsync("""{ "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] } }""");
        Assert.True(result.Succeeded);
        Assert.Equal(
            "k/kustomization.yaml:4:9: warning: images: \"docker.io/library/nginx\" matches no image of the resources (kustomize matches names as written: no docker.io/ or library/ is added or removed)\n"
            + "k/res.yaml:8:12: warning: nginx:1.25: no images: entry of k/kustomization.yaml maps it; pods pull it as written, from Docker Hub (rate limited)",
            string.Join("\n", result.Warnings.Select(Text)));
        Assert.Empty(result.Config!.Images);
    }

    [Fact]
    public async Task Two_kustomizations_mapping_one_target_tag_to_different_upstreams_is_an_error()
    {
        Write("s/a/res.yaml", Pod("docker.io/istio/x:1.0"));
        Write("s/a/kustomization.yaml", "resources:\n- res.yaml\nimages:\n- name: docker.io/istio/x\n  newName: quay.io/m/x\n");
        Write("s/b/res.yaml", Pod("registry.istio.io/release/x:1.0"));
        Write("s/b/kustomization.yaml", "resources:\n- res.yaml\nimages:\n- name: registry.istio.io/release/x\n  newName: quay.io/m/x\n");
        var result = await LoadAsync("""{ "kustomize": { "paths": ["s/"], "targets": ["quay.io/m/"] } }""");
        var error = Text(Assert.Single(result.Errors));
        Assert.Equal("s/b/res.yaml:8:12: quay.io/m/x:1.0 is mapped from registry.istio.io/release/x:1.0 here (s/b/kustomization.yaml) but from docker.io/istio/x:1.0 at s/a/res.yaml:8:12 (s/a/kustomization.yaml); one target tag cannot hold both", error.ToString());
    }

    [Fact]
    public async Task The_same_target_tag_from_an_images_entry_and_a_kustomization_is_an_error_not_a_double_copy()
    {
        Write("k/res.yaml", Pod("docker.io/mccutchen/go-httpbin:v2.15.0"));
        Write("k/kustomization.yaml", "resources:\n- res.yaml\nimages:\n- name: docker.io/mccutchen/go-httpbin\n  newName: quay.io/m/go-httpbin\n");
        var result = await LoadAsync("""
            {
              "images": [ { "name": "go-httpbin", "upstream": "docker.io/mccutchen/go-httpbin", "target": "quay.io/m/go-httpbin", "tags": ["v2.15.0", "v2.14.0"] } ],
              "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] }
            }
            """);
        var error = Text(Assert.Single(result.Errors));
        Assert.Equal("k/res.yaml:8:12: k/kustomization.yaml.tags: \"quay.io/m/go-httpbin:v2.15.0\" is also written by \"go-httpbin\" (at image-sync-config.json:2:128)", error);
        Assert.Equal(["go-httpbin", "m-go-httpbin"], result.Config!.Images.Select(i => i.Name));
    }

    [Fact]
    public async Task Explicit_images_and_derived_ones_combine()
    {
        Write("k/res.yaml", Pod("docker.io/mccutchen/go-httpbin:v2.15.0"));
        Write("k/kustomization.yaml", "resources:\n- res.yaml\nimages:\n- name: docker.io/mccutchen/go-httpbin\n  newName: quay.io/m/go-httpbin\n");
        var result = await LoadAsync("""
            {
              "images": [ { "name": "other", "upstream": "docker.io/istio/other", "target": "quay.io/m/other", "tags": ["1"] } ],
              "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] }
            }
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["other", "go-httpbin"], result.Config!.Images.Select(i => i.Name));
        Assert.False(result.Config.Images[0].IsDerived);
        Assert.True(result.Config.Images[1].IsDerived);
    }

    [Fact]
    public async Task NewTag_and_digest_choose_what_is_copied_and_a_digest_alone_is_an_error()
    {
        const string digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
        Write("k/res.yaml", Pod("docker.io/istio/a:1.0") + "---\n" + Pod("docker.io/istio/b:1.0") + "---\n" + Pod("docker.io/istio/c:1.0"));
        Write("k/kustomization.yaml", $"resources:\n- res.yaml\nimages:\n- name: docker.io/istio/a\n  newName: quay.io/m/a\n  newTag: \"2.0\"\n- name: docker.io/istio/b\n  newName: quay.io/m/b\n  newTag: \"2.0\"\n  digest: {digest}\n- name: docker.io/istio/c\n  newName: quay.io/m/c\n  digest: {digest}\n");
        var result = await LoadAsync("""{ "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] } }""");
        Assert.Equal(["docker.io/istio/a:2.0 -> quay.io/m/a:2.0", $"docker.io/istio/b:{digest} -> quay.io/m/b:2.0"],
            result.Config!.Images.SelectMany(i => i.Tags.Select(t => $"{i.Upstream}:{t.Source} -> {i.Target}:{t.Target}")));
        var error = Text(Assert.Single(result.Errors));
        Assert.StartsWith($"k/res.yaml:26:12: quay.io/m/c@{digest}: pinned by digest alone", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resources:\n- https://example.com/a.yaml\n", "k/kustomization.yaml:2:3: resource https://example.com/a.yaml: imagesync reads a URL only as a raw GitHub file of upstream_samples.repository (istio/istio)")]
    [InlineData("resources:\n- https://raw.githubusercontent.com/evil/istio/master/samples/a.yaml\n", "k/kustomization.yaml:2:3: resource https://raw.githubusercontent.com/evil/istio/master/samples/a.yaml: imagesync reads a URL only")]
    [InlineData("resources:\n- ../outside.yaml\n", "k/kustomization.yaml:2:3: resource ../outside.yaml is a file outside the kustomization's folder")]
    [InlineData("resources:\n- ../../../../../../../../etc/hostname\n", "k/kustomization.yaml:2:3: resource ../../../../../../../../etc/hostname lies outside")]
    [InlineData("resources:\n- missing.yaml\n", "k/kustomization.yaml:2:3: resource missing.yaml: no such file or folder")]
    [InlineData("resources:\n- .\n", "k/kustomization.yaml:2:3: cycle: k includes itself")]
    [InlineData("generators:\n- g.yaml\n", "k/kustomization.yaml:1:1: generators: imagesync does not apply generators")]
    public async Task Resources_imagesync_does_not_read_are_errors_naming_the_file_and_line(string kustomization, string expected)
    {
        Write("outside.yaml", Pod("a:1"));
        Write("k/kustomization.yaml", kustomization);
        var result = await LoadAsync("""{ "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] } }""");
        Assert.False(result.Succeeded);
        Assert.StartsWith(expected, Text(Assert.Single(result.Errors)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_without_any_kustomization_is_an_error_at_the_configuration()
    {
        Directory.CreateDirectory(Path.Combine(_root, "empty", "sub"));
        var result = await LoadAsync("""{ "kustomize": { "paths": ["empty"], "targets": ["quay.io/m"] } }""");
        Assert.EndsWith("image-sync-config.json:1:28: kustomize.paths[0]: empty holds no kustomization.yaml, nor do its folders", Text(Assert.Single(result.Errors)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_over_the_size_bound_is_refused_before_it_is_read()
    {
        Write("k/kustomization.yaml", "resources:\n- big.yaml\n");
        using (var big = File.Create(Path.Combine(_root, "k", "big.yaml")))
        {
            big.SetLength(KustomizeLimits.MaxFileBytes + 1);
        }
        var result = await LoadAsync("""{ "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] } }""");
        Assert.Contains("bytes is more than imagesync reads (4 MiB a file", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_that_is_a_pipe_is_never_opened()
    {
        Write("k/kustomization.yaml", "resources:\n- res.yaml\nimages:\n- name: a\n  newName: quay.io/m/a\n");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(_root, "k", "res.yaml")))
        {
            await mkfifo.WaitForExitAsync();
        }
        // Opening a pipe blocks until something writes to it; the bound only keeps a regression from hanging the run.
        var result = await Task.Run(() => LoadAsync("""{ "kustomize": { "paths": ["k"], "targets": ["quay.io/m"] } }""")).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(result.Config!.Images);
        Assert.Contains(result.Warnings, w => w.Message.Contains("matches no image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_raw_GitHub_resource_of_the_upstream_repository_is_read_in_one_request_per_ref()
    {
        // sail-operator's form until April 2026 (before b84b70bdb).
        Write("a/kustomization.yaml", "resources:\n- https://raw.githubusercontent.com/istio/istio/master/samples/helloworld/helloworld.yaml\nimages:\n- name: docker.io/istio/examples-helloworld-v1\n  newName: quay.io/sail-dev/examples-helloworld-v1\n");
        Write("b/kustomization.yaml", "resources:\n- https://raw.githubusercontent.com/istio/istio/master/samples/sleep/sleep.yaml\n");
        var requests = new List<UpstreamSampleSource>();
        var helloworld = File.ReadAllText(Path.Combine(TestPaths.IstioRelease("1.29.0"), "samples", "helloworld", "helloworld.yaml"));
        var sleep = File.ReadAllText(Path.Combine(TestPaths.IstioRelease("1.29.0"), "samples", "sleep", "sleep.yaml"));
        UpstreamFetch fetch = (samples, _) =>
        {
            requests.Add(samples);
            return Task.FromResult<(IReadOnlyList<UpstreamFile>, IReadOnlyList<string>)>(([new UpstreamFile("samples/helloworld/helloworld.yaml", helloworld, ""), new UpstreamFile("samples/sleep/sleep.yaml", sleep, "")], []));
        };
        var result = await LoadAsync("""{ "kustomize": { "paths": ["a", "b"], "targets": ["quay.io/sail-dev"] } }""", fetch);
        var request = Assert.Single(requests);
        Assert.Equal(("istio/istio", "master"), (request.Repository, request.Ref));
        Assert.Equal(["samples/helloworld/helloworld.yaml", "samples/sleep/sleep.yaml"], request.Paths);
        Assert.Equal("quay.io/sail-dev/examples-helloworld-v1", Assert.Single(result.Config!.Images).Target.Name);
        Assert.Contains(result.Warnings, w => Text(w).StartsWith("https://raw.githubusercontent.com/istio/istio/master/samples/helloworld/helloworld.yaml:", StringComparison.Ordinal) && w.Message.Contains("examples-helloworld-v2", StringComparison.Ordinal));
    }
}
