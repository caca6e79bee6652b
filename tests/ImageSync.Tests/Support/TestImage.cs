using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ImageSync.References;

namespace ImageSync.Tests.Support;

internal enum ImageFormat
{
    Oci,
    Docker,
}

internal sealed record Blob(string MediaType, byte[] Content)
{
    public string Digest { get; } = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Content));
}

internal sealed record PushedManifest(string MediaType, byte[] Raw)
{
    public string Digest { get; } = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Raw));
}

/// <summary>
/// Synthetic images for tests, pushed with plain HTTP requests (not with the code under test): a multi-platform
/// index or a single manifest, in OCI or Docker formats, with layers of given sizes that may be shared.
/// </summary>
internal sealed class TestImage
{
    public List<Blob> Blobs { get; } = [];
    public List<PushedManifest> Children { get; } = [];
    public required PushedManifest Root { get; init; }

    public static byte[] RandomBytes(string seed, int size)
    {
        var bytes = new byte[size];
        var block = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        for (var offset = 0; offset < size; offset += block.Length)
        {
            Array.Copy(block, 0, bytes, offset, Math.Min(block.Length, size - offset));
            block = SHA256.HashData(block);
        }
        return bytes;
    }

    public static TestImage Create(string seed, string[]? platforms = null, int[]? layerSizes = null, ImageFormat format = ImageFormat.Oci, byte[]? sharedBase = null, bool index = true)
    {
        platforms ??= ["linux/amd64", "linux/arm64"];
        layerSizes ??= [64 * 1024, 16 * 1024];
        var (indexType, manifestType, configType, layerType) = format == ImageFormat.Oci
            ? (ImageSync.Registry.MediaTypes.OciIndex, ImageSync.Registry.MediaTypes.OciManifest, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip")
            : (ImageSync.Registry.MediaTypes.DockerManifestList, ImageSync.Registry.MediaTypes.DockerManifest, "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip");
        var blobs = new List<Blob>();
        var children = new List<(PushedManifest Manifest, Platform Platform)>();
        foreach (var platformText in index ? platforms : platforms.Take(1))
        {
            var platform = Platform.Parse(platformText);
            var layers = new List<Blob>();
            if (sharedBase is not null)
            {
                layers.Add(new Blob(layerType, sharedBase));
            }
            layers.AddRange(layerSizes.Select((size, i) => new Blob(layerType, RandomBytes($"{seed}/{platformText}/{i}", size))));
            var config = new Blob(configType, Encoding.UTF8.GetBytes(
                $"{{\"architecture\":\"{platform.Architecture}\",\"os\":\"{platform.Os}\"{(platform.Variant is null ? "" : $",\"variant\":\"{platform.Variant}\"")},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{string.Join(",", layers.Select(l => $"\"{l.Digest}\""))}]}}}}"));
            blobs.Add(config);
            blobs.AddRange(layers);
            var manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"{manifestType}\",\"config\":{Descriptor(config)},\"layers\":[{string.Join(",", layers.Select(Descriptor))}]}}";
            children.Add((new PushedManifest(manifestType, Encoding.UTF8.GetBytes(manifest)), platform));
        }
        if (!index)
        {
            return new TestImage { Root = children[0].Manifest, Blobs = { }, Children = { } }.With(blobs.DistinctBy(b => b.Digest), []);
        }
        var entries = children.Select(c =>
            $"{{\"mediaType\":\"{c.Manifest.MediaType}\",\"digest\":\"{c.Manifest.Digest}\",\"size\":{c.Manifest.Raw.Length},\"platform\":{{\"architecture\":\"{c.Platform.Architecture}\",\"os\":\"{c.Platform.Os}\"{(c.Platform.Variant is null ? "" : $",\"variant\":\"{c.Platform.Variant}\"")}}}}}");
        var root = new PushedManifest(indexType, Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{indexType}\",\"manifests\":[{string.Join(",", entries)}]}}"));
        return new TestImage { Root = root }.With(blobs.DistinctBy(b => b.Digest), children.Select(c => c.Manifest));
    }

    private TestImage With(IEnumerable<Blob> blobs, IEnumerable<PushedManifest> children)
    {
        Blobs.AddRange(blobs);
        Children.AddRange(children);
        return this;
    }

    private static string Descriptor(Blob blob) => $"{{\"mediaType\":\"{blob.MediaType}\",\"digest\":\"{blob.Digest}\",\"size\":{blob.Content.Length}}}";

    public long UniqueBlobBytes => Blobs.Sum(b => (long)b.Content.Length);

    /// <summary>Pushes blobs, children, then the root under <paramref name="tag"/>.</summary>
    public Task PushAsync(RegistryServer registry, string repository, string tag, (string User, string Password)? credentials = null) =>
        PushAsync(registry.Url, repository, tag, credentials);

    /// <summary>Pushes to a URL: a proxy in front of a registry (a personality that sees what is pushed).</summary>
    public async Task PushAsync(Uri registry, string repository, string tag, (string User, string Password)? credentials = null)
    {
        using var http = new HttpClient { BaseAddress = registry };
        if (credentials is { } c)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.User}:{c.Password}")));
        }
        foreach (var blob in Blobs)
        {
            using var post = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            var location = post.Headers.Location!;
            var url = location.ToString() + (location.ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(blob.Digest);
            using var content = new ByteArrayContent(blob.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.PutAsync(url, content);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        foreach (var child in Children)
        {
            await PutManifestAsync(http, repository, child.Digest, child);
        }
        await PutManifestAsync(http, repository, tag, Root);
    }

    public static async Task PutManifestAsync(HttpClient http, string repository, string reference, PushedManifest manifest)
    {
        using var content = new ByteArrayContent(manifest.Raw);
        content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        using var response = await http.PutAsync($"v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT manifest {repository}:{reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
