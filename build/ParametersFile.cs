using System.Text.Json;

namespace ImageSync.Build;

/// <summary>
/// <c>.nuke/parameters.json</c>: default values for parameters, read after the command line and the environment, as
/// Nuke reads it. Keys are parameter names (PascalCase or as flags, case and dashes ignored); values are strings,
/// numbers, booleans, or arrays for repeatable parameters.
/// </summary>
internal sealed class ParametersFile
{
    public const string RelativePath = ".nuke/parameters.json";

    private readonly Dictionary<string, string[]> _values;

    private ParametersFile(Dictionary<string, string[]> values) => _values = values;

    public static ParametersFile Empty { get; } = new(new Dictionary<string, string[]>());

    public static string Normalise(string key) => key.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <exception cref="UsageException">The file is not JSON, not an object, or names a parameter that does not exist.</exception>
    public static ParametersFile Load(string root, IEnumerable<Parameter> parameters)
    {
        var path = Path.Combine(root, RelativePath);
        if (!File.Exists(path))
        {
            return Empty;
        }
        var known = parameters.ToDictionary(p => Normalise(p.Key), p => p.Key);
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{RelativePath}: expected an object of parameter values");
            }
            foreach (var property in json.RootElement.EnumerateObject().Where(p => p.Name != "$schema"))
            {
                if (!known.TryGetValue(Normalise(property.Name), out var key))
                {
                    throw new UsageException($"{RelativePath}: unknown parameter \"{property.Name}\"{ImageSync.Common.Suggestions.DidYouMean(property.Name, known.Values)}");
                }
                values[Normalise(key)] = property.Value.ValueKind switch
                {
                    JsonValueKind.Array => [.. property.Value.EnumerateArray().Select(Text)],
                    JsonValueKind.Null => [],
                    _ => [Text(property.Value)],
                };
            }
        }
        catch (JsonException e)
        {
            throw new UsageException($"{RelativePath}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: {ImageSync.Config.JsonErrorText.Describe(e.Message)}");
        }
        return new ParametersFile(values);
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>The words given for a parameter key, or null when the file does not set it.</summary>
    public string[]? Words(string key) => _values.TryGetValue(Normalise(key), out var words) && words.Length > 0 ? words : null;
}
