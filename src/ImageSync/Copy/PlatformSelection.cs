using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// What to write for an image with platforms or required platforms. One platform: that child manifest as the tag
/// (crane --platform). Several: a new index listing only them. None asked (only required): the source as it is.
/// </summary>
internal static class PlatformSelection
{
    /// <summary>The manifest the target tag should hold, or an error naming what upstream lacks.</summary>
    public static async Task<(ManifestDocument? Root, string? Error)> SelectAsync(
        RegistryClient client, RepositoryAccess source, ManifestDocument manifest, IReadOnlyList<Platform>? wanted, IReadOnlyList<Platform> required, CancellationToken cancellationToken)
    {
        if (!manifest.IsIndex)
        {
            // A single-platform image has no index to choose from: what it is, is what we can copy.
            return (manifest, required.Count > 0 || wanted is not null ? await CheckSinglePlatformAsync(client, source, manifest, wanted, required, cancellationToken).ConfigureAwait(false) : null);
        }
        var available = manifest.Children.Where(c => c.Platform is not null).ToList();
        var missing = required.Where(r => !available.Any(c => r.Matches(c.Platform!))).ToList();
        if (missing.Count > 0)
        {
            return (null, $"upstream lacks required platform{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} (it has {Describe(available)})");
        }
        if (wanted is null)
        {
            return (manifest, null);
        }
        var chosen = new List<Descriptor>();
        foreach (var platform in wanted)
        {
            if (available.FirstOrDefault(c => platform.Matches(c.Platform!)) is { } child && !chosen.Contains(child))
            {
                chosen.Add(child);
            }
        }
        if (chosen.Count == 0)
        {
            return (null, $"upstream has none of the platforms {string.Join(", ", wanted)} (it has {Describe(available)})");
        }
        if (chosen.Count == 1)
        {
            return (await client.GetManifestAsync(source, chosen[0].Digest.ToString(), cancellationToken).ConfigureAwait(false), null);
        }
        var keep = chosen.Select(c => c.Digest).ToHashSet();
        return (manifest.FilterIndex(d => keep.Contains(d.Digest)), null);
    }

    private static async Task<string?> CheckSinglePlatformAsync(RegistryClient client, RepositoryAccess source, ManifestDocument manifest, IReadOnlyList<Platform>? wanted, IReadOnlyList<Platform> required, CancellationToken cancellationToken)
    {
        var platform = await ReadPlatformAsync(client, source, manifest, cancellationToken).ConfigureAwait(false);
        if (platform is null)
        {
            return null;
        }
        var missing = required.Where(p => !p.Matches(platform)).ToList();
        if (wanted is not null && !wanted.Any(p => p.Matches(platform)))
        {
            missing.AddRange(wanted);
        }
        return missing.Count == 0 ? null : $"upstream is a single-platform image for {platform}, not {string.Join(", ", missing.Distinct())}";
    }

    private static async Task<Platform?> ReadPlatformAsync(RegistryClient client, RepositoryAccess source, ManifestDocument manifest, CancellationToken cancellationToken)
    {
        if (manifest.Blobs.Count == 0 || manifest.Blobs[0].Size > 1024 * 1024)
        {
            return null;
        }
        await using var stream = await client.OpenBlobAsync(source, manifest.Blobs[0], cancellationToken).ConfigureAwait(false);
        using var config = await System.Text.Json.JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = config.RootElement;
        if (!root.TryGetProperty("os", out var os) || !root.TryGetProperty("architecture", out var arch))
        {
            return null;
        }
        var variant = root.TryGetProperty("variant", out var v) ? v.GetString() : null;
        return new Platform(os.GetString() ?? "", arch.GetString() ?? "", string.IsNullOrEmpty(variant) ? null : variant);
    }

    private static string Describe(List<Descriptor> children) =>
        children.Count == 0 ? "no platforms" : string.Join(", ", children.Select(c => c.Platform));
}
