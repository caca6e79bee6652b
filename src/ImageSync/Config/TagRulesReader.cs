using ImageSync.Selection;
using Semver;

namespace ImageSync.Config;

/// <summary>
/// Reads an image's <c>tag_rules</c> object and <c>"tags": "*"</c> into <see cref="TagRules"/>. Every range and
/// pattern is parsed here, so Validate names a bad one at its line and column and a run never meets one.
/// </summary>
internal sealed class TagRulesReader(JsonValues values)
{
    internal static readonly string[] RuleKeys = ["semver", "latest", "include", "exclude", "prerelease"];

    /// <summary>The range syntax, for messages: npm's, as the README says.</summary>
    private const string RangeSyntax = "npm's range syntax: \">=1.20.0 <2\", \"~1.2\", \"^1.2.3\", \"1.x\", \"1.2 - 1.4\", ranges joined by ||";

    /// <summary>Whether <c>tags</c> is the string <c>"*"</c>: every tag of the repository.</summary>
    public static bool IsEveryTag(JsonNodeAt node) => node is JsonScalarAt { Token: System.Text.Json.JsonTokenType.String, Text: "*" };

    /// <summary>The rules, or null after reporting every problem in them.</summary>
    public TagRules? Read(JsonNodeAt node, string path)
    {
        if (values.Object(node, path) is not { } obj)
        {
            return null;
        }
        var errorsBefore = Errors();
        var fields = values.Fields(obj, path, RuleKeys);
        var prerelease = fields.TryGetValue("prerelease", out var pre) && values.Bool(pre, $"{path}.prerelease") == true;

        string? rangeText = null;
        SemVersionRange? range = null;
        if (fields.TryGetValue("semver", out var semverNode) && values.String(semverNode, $"{path}.semver") is { } text)
        {
            range = Range(semverNode, $"{path}.semver", text, prerelease);
            rangeText = text;
        }
        var latest = fields.TryGetValue("latest", out var latestNode) ? values.PositiveInt(latestNode, $"{path}.latest") : null;
        var include = Patterns(fields, "include", path);
        var exclude = Patterns(fields, "exclude", path);
        if (Errors() > errorsBefore)
        {
            return null;
        }
        if (prerelease && range is null && latest is null)
        {
            values.Diagnostics.Warning(values.At(pre!), $"{path}.prerelease", "has no effect without \"semver\" or \"latest\": patterns and \"*\" pick pre-releases as any other tag");
        }
        return new TagRules(rangeText, range, latest, include, exclude, prerelease, values.At(node));
    }

    private SemVersionRange? Range(JsonNodeAt node, string path, string text, bool prerelease)
    {
        if (text.Trim().Length == 0)
        {
            values.Error(node, path, $"an empty range; write one in {RangeSyntax}");
            return null;
        }
        try
        {
            return SemVersionRange.ParseNpm(text, includeAllPrerelease: prerelease);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            values.Error(node, path, $"\"{Output.Untrusted.Line(text, 200)}\" is not a version range ({Output.Untrusted.Line(e.Message, 200)}); {RangeSyntax}");
            return null;
        }
    }

    /// <summary>A pattern or an array of them; each refusal at its own position.</summary>
    private List<TagPattern> Patterns(Dictionary<string, JsonNodeAt> fields, string key, string path)
    {
        var patterns = new List<TagPattern>();
        if (!fields.TryGetValue(key, out var node))
        {
            return patterns;
        }
        var fieldPath = $"{path}.{key}";
        if (node is not (JsonArrayAt or JsonScalarAt { Token: System.Text.Json.JsonTokenType.String }))
        {
            values.Error(node, fieldPath, $"expected a pattern or an array of patterns, got {node.KindName}");
            return patterns;
        }
        List<(string Text, JsonNodeAt Node, string Path)> items = node is JsonArrayAt
            ? [.. (values.StringArray(node, fieldPath) ?? []).Select((item, i) => (item.Text, item.Node, $"{fieldPath}[{i}]"))]
            : values.String(node, fieldPath) is { } one ? [(one, node, fieldPath)] : [];
        if (node is JsonArrayAt { Items.Count: 0 })
        {
            values.Error(node, fieldPath, "an empty list: leave the field out, or give a pattern");
        }
        foreach (var (text, itemNode, itemPath) in items)
        {
            if (TagPattern.TryCreate(text, out var pattern, out var error))
            {
                patterns.Add(pattern!);
            }
            else
            {
                values.Error(itemNode, itemPath, error);
            }
        }
        return patterns;
    }

    private int Errors() => values.Diagnostics.Items.Count(d => d.IsError);
}
