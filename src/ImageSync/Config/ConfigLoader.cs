using System.Text;

namespace ImageSync.Config;

/// <summary>Which file to read and how: the JSON config, or kyma's external-images YAML with a target prefix.</summary>
public sealed record ConfigSource(string Path, ConfigFormat Format, string? TargetRepoPrefix = null)
{
    public static ConfigSource Json(string path) => new(path, ConfigFormat.Json);

    public static ConfigSource ExternalImages(string path, string? targetRepoPrefix) => new(path, ConfigFormat.ExternalImages, targetRepoPrefix);
}

public enum ConfigFormat
{
    Json,
    ExternalImages,
}

/// <summary>
/// The outcome of loading: the model (null when the file could not be read) and every finding; with a kustomize
/// section, once derived (<see cref="Kustomize.KustomizeImages"/>), what the kustomizations yielded.
/// </summary>
public sealed record ConfigLoadResult(SyncConfig? Config, IReadOnlyList<Diagnostic> Diagnostics, Kustomize.KustomizeDerivation? Kustomize = null)
{
    public bool Succeeded => Config is not null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}

public static class ConfigLoader
{
    public static async Task<ConfigLoadResult> LoadAsync(ConfigSource source, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(source.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            return new ConfigLoadResult(null, [new Diagnostic(DiagnosticSeverity.Error, new SourcePosition(source.Path, 1, 1), "", $"cannot read the configuration: {reason}")]);
        }
        return Load(source, content);
    }

    public static ConfigLoadResult Load(ConfigSource source, byte[] content)
    {
        var bag = new DiagnosticBag();
        var bom = Encoding.UTF8.Preamble;
        if (content.AsSpan().StartsWith(bom))
        {
            content = content[bom.Length..];
        }
        var config = source.Format switch
        {
            ConfigFormat.Json => new JsonConfigReader(source.Path, bag).Read(content),
            _ => new ExternalImagesReader(source.Path, source.TargetRepoPrefix, bag).Read(Encoding.UTF8.GetString(content)),
        };
        if (config is not null)
        {
            ConfigChecks.Run(config, bag);
        }
        return new ConfigLoadResult(config, bag.Sorted());
    }
}
