using System.Text;

namespace ImageSync.Config;

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
            if (source.Environment is { } environment)
            {
                config = Signing.SigningKeys.Resolve(config, environment, source.Secrets ?? new Output.SecretSet(), bag);
            }
        }
        return new ConfigLoadResult(config, bag.Sorted());
    }
}
