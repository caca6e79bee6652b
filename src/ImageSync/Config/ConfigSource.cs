namespace ImageSync.Config;

/// <summary>Which file to read and how: the JSON config, or kyma's external-images YAML with a target prefix.</summary>
public sealed record ConfigSource(string Path, ConfigFormat Format, string? TargetRepoPrefix = null)
{
    /// <summary>The run's environment: where <c>sign</c> policies' keys are read. Null: they are not read.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The run's secrets, which each signing key joins as it is read.</summary>
    public Output.SecretSet? Secrets { get; init; }

    public static ConfigSource Json(string path) => new(path, ConfigFormat.Json);

    public static ConfigSource ExternalImages(string path, string? targetRepoPrefix) => new(path, ConfigFormat.ExternalImages, targetRepoPrefix);
}
