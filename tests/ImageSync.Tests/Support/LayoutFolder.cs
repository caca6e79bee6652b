using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ImageSync.Tests.Support;

/// <summary>An OCI layout folder as another tool sees it: skopeo's oci: transport, and the files themselves.</summary>
internal static class LayoutFolder
{
    /// <summary>The digest of the manifest bytes skopeo reads for oci:PATH:TAG.</summary>
    public static async Task<string> SkopeoDigestAsync(string path, string tag)
    {
        var raw = await RegistryServer.RunAsync("skopeo", "inspect", "--raw", $"oci:{path}:{tag}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
    }

    /// <summary>skopeo copies between a registry (docker://) and a layout (oci:), every platform, digests kept.</summary>
    public static Task<string> SkopeoCopyAsync(string from, string to) =>
        RegistryServer.RunAsync("skopeo", "copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false", from, to);

    /// <summary>The tags index.json names, with their digests.</summary>
    public static IReadOnlyDictionary<string, string> Tags(string path)
    {
        var index = Path.Combine(path, "index.json");
        if (!File.Exists(index))
        {
            return new Dictionary<string, string>();
        }
        using var json = JsonDocument.Parse(File.ReadAllBytes(index));
        return json.RootElement.GetProperty("manifests").EnumerateArray()
            .Where(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out _))
            .ToDictionary(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!, m => m.GetProperty("digest").GetString()!);
    }

    /// <summary>
    /// Every digest index.json names, and every one they name in turn, whose blob is missing or does not hash to its
    /// digest: empty for a layout whose index names only complete content.
    /// </summary>
    public static IReadOnlyList<string> Incomplete(string path)
    {
        var bad = new List<string>();
        var index = Path.Combine(path, "index.json");
        if (!File.Exists(index))
        {
            return bad;
        }
        var pending = new Stack<string>();
        using (var json = JsonDocument.Parse(File.ReadAllBytes(index)))
        {
            foreach (var m in json.RootElement.GetProperty("manifests").EnumerateArray())
            {
                pending.Push(m.GetProperty("digest").GetString()!);
            }
        }
        while (pending.TryPop(out var digest))
        {
            var file = Path.Combine(path, "blobs", "sha256", digest["sha256:".Length..]);
            if (!File.Exists(file) || "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))) != digest)
            {
                bad.Add(digest);
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                foreach (var field in new[] { "manifests", "layers" })
                {
                    if (doc.RootElement.TryGetProperty(field, out var list))
                    {
                        foreach (var d in list.EnumerateArray())
                        {
                            pending.Push(d.GetProperty("digest").GetString()!);
                        }
                    }
                }
                if (doc.RootElement.TryGetProperty("config", out var config))
                {
                    pending.Push(config.GetProperty("digest").GetString()!);
                }
            }
            catch (JsonException)
            {
                // A layer: no descriptors in it.
            }
        }
        return bad;
    }
}
