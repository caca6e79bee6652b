namespace ImageSync.Config;

/// <summary>Which file to read and how: the JSON config, or kyma's external-images YAML with a target prefix.</summary>
public sealed record ConfigSource(string Path, ConfigFormat Format, string? TargetRepoPrefix = null)
{
    public static ConfigSource Json(string path) => new(path, ConfigFormat.Json);

    public static ConfigSource ExternalImages(string path, string? targetRepoPrefix) => new(path, ConfigFormat.ExternalImages, targetRepoPrefix);
}
