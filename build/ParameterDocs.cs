using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageSync.Build;

/// <summary>What is generated from the parameter table: the schema of .nuke/parameters.json, and the README's table.</summary>
internal static class ParameterDocs
{
    public const string SchemaPath = ".nuke/build.schema.json";
    public const string ReadmeBegin = "<!-- parameters: generated from build/ParameterTable.cs; UPDATE_GOLDEN=1 ./test.sh rewrites it -->";
    public const string ReadmeEnd = "<!-- parameters: end -->";

    public static string Schema()
    {
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var parameter in ParameterTable.All)
        {
            var entry = parameter.Schema();
            if (parameter.Env is { } env)
            {
                entry["description"] = $"{parameter.Description} (command line: {parameter.Flag}; environment: {env})";
            }
            properties[parameter.Key] = entry;
        }
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "imagesync build parameters (.nuke/parameters.json)",
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    public static string ReadmeTable()
    {
        var text = new StringBuilder(ReadmeBegin).Append('\n');
        text.Append("| flag | environment | `.nuke/parameters.json` | meaning |\n|---|---|---|---|\n");
        foreach (var p in ParameterTable.All)
        {
            var flag = p.ValueName is null ? p.Flag : $"{p.Flag} {p.ValueName.Trim('"')}";
            var meaning = p.DefaultText is { } d ? $"{p.Description} (default `{d}`)" : p.Description;
            text.Append($"| `{flag}` | `{p.Env}` | `{p.Key}` | {meaning.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        return text.Append(ReadmeEnd).ToString();
    }
}
