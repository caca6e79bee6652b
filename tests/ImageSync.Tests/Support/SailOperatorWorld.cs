using System.Net.Http.Json;
using System.Text.Json;

namespace ImageSync.Tests.Support;

/// <summary>
/// sail-operator as it is today on loopback: a copy of examples/sail-operator (its tests/e2e/samples/ byte-exact from
/// the vendored fixture, and its configuration) and three registries standing in for registry.istio.io, docker.io
/// and quay.io, reached through --registry. Upstream holds the five images the samples name.
/// </summary>
internal sealed class SailOperatorWorld : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sail-world-").FullName;

    private SailOperatorWorld(RegistryServer istio, RegistryServer docker, RegistryServer quay)
    {
        (Istio, Docker, Quay) = (istio, docker, quay);
        Root = Path.Combine(_dir, "sail-operator");
        TestPaths.CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "examples", "sail-operator"), Root);
    }

    public RegistryServer Istio { get; }

    public RegistryServer Docker { get; }

    public RegistryServer Quay { get; }

    /// <summary>The copy of examples/sail-operator.</summary>
    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "image-sync-config.json");

    /// <summary>What each upstream tag was pushed as, by repository basename and tag (go-httpbin:v2.15.0).</summary>
    public Dictionary<string, string> Pushed { get; } = [];

    public string[] Registries =>
        ["--registry", $"registry.istio.io={Istio.Url}", "--registry", $"docker.io={Docker.Url}", "--registry", $"quay.io={Quay.Url}"];

    public static async Task<SailOperatorWorld> StartAsync(bool pushUpstream = true)
    {
        var servers = await Task.WhenAll(RegistryServer.StartAsync(), RegistryServer.StartAsync(), RegistryServer.StartAsync());
        var world = new SailOperatorWorld(servers[0], servers[1], servers[2]);
        if (pushUpstream)
        {
            foreach (var (registry, repository, tag) in new[]
            {
                (world.Istio, "release/examples-helloworld-v1", "1.0"), (world.Istio, "release/examples-helloworld-v2", "1.0"),
                (world.Istio, "release/tcp-echo-server", "1.3"), (world.Docker, "mccutchen/go-httpbin", "v2.15.0"), (world.Docker, "curlimages/curl", "8.16.0"),
            })
            {
                var image = TestImage.Create($"{repository}:{tag}", ["linux/amd64", "linux/arm64"]);
                await image.PushAsync(registry, repository, tag);
                world.Pushed[$"{repository.Split('/')[^1]}:{tag}"] = image.Root.Digest;
            }
        }
        await world.ResetLogsAsync();
        return world;
    }

    public Task ResetLogsAsync() => Task.WhenAll(Istio.ResetLogAsync(), Docker.ResetLogAsync(), Quay.ResetLogAsync());

    /// <summary>Every repository:tag the registry holds.</summary>
    public static async Task<IReadOnlyList<string>> CatalogAsync(RegistryServer registry)
    {
        using var http = new HttpClient { BaseAddress = registry.Url };
        var catalog = await http.GetFromJsonAsync<JsonElement>("v2/_catalog");
        var result = new List<string>();
        foreach (var repository in catalog.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!))
        {
            var tags = await http.GetFromJsonAsync<JsonElement>($"v2/{repository}/tags/list");
            result.AddRange(tags.GetProperty("tags").EnumerateArray().Select(t => $"{repository}:{t.GetString()}"));
        }
        return [.. result.Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Istio.DisposeAsync().AsTask(), Docker.DisposeAsync().AsTask(), Quay.DisposeAsync().AsTask());
        Directory.Delete(_dir, recursive: true);
    }
}
