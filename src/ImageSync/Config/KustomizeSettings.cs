using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// The <c>kustomize</c> section: the kustomization folders whose images are mirrored (<paramref name="Paths"/>, each a
/// folder holding a kustomization or a folder of such folders, relative to the configuration's folder) and the
/// target prefixes that are ours to write (<paramref name="Targets"/>, normalised registry/path without a trailing
/// slash: <c>quay.io/sail-dev</c>). A derived image whose target lies elsewhere is listed, never written.
/// </summary>
public sealed record KustomizeSettings(IReadOnlyList<string> Paths, IReadOnlyList<string> Targets, SourcePosition Position, IReadOnlyList<SourcePosition> PathPositions)
{
    /// <summary>
    /// <c>quay.io</c>, <c>quay.io/sail-dev/</c>: normalised as references are (index.docker.io is docker.io), but a
    /// prefix is not a repository, so one word under Docker Hub does not get <c>library/</c>. Null when it is neither.
    /// </summary>
    public static string? ParseTarget(string text)
    {
        var trimmed = text.EndsWith('/') ? text[..^1] : text;
        if (!trimmed.Contains('/', StringComparison.Ordinal))
        {
            return Reference.TryParseRegistryName(trimmed, out var registry, out _) ? registry : null;
        }
        var host = trimmed.Split('/')[0];
        return (host.Contains('.', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal) || host == "localhost")
            && Reference.TryParse(trimmed + "/x", out var probe, out _) && probe!.Tag is null && probe.Digest is null
            ? probe.Name[..^2]
            : null;
    }

    /// <summary>These settings with other target prefixes (<c>--kustomize-targets</c>, the drop-in script's HUB).</summary>
    public static bool TryOverrideTargets(KustomizeSettings settings, IReadOnlyList<string> targets, out KustomizeSettings result, out string error)
    {
        result = settings;
        var parsed = targets.Select(t => (Text: t, Prefix: ParseTarget(t))).ToList();
        if (parsed.FirstOrDefault(t => t.Prefix is null) is { Text: { } bad })
        {
            error = $"\"{bad}\" is neither a registry (quay.io) nor a registry/repository prefix (quay.io/sail-dev/)";
            return false;
        }
        result = settings with { Targets = [.. parsed.Select(t => t.Prefix!)] };
        error = "";
        return true;
    }

    /// <summary>Whether <paramref name="target"/> lies under one of <see cref="Targets"/>.</summary>
    public bool Owns(Reference target) =>
        Targets.Any(t => t == target.Registry || target.Name.StartsWith(t + "/", StringComparison.Ordinal));
}
