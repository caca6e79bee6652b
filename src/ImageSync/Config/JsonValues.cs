using System.Text.Json;

namespace ImageSync.Config;

/// <summary>
/// Typed reads of the JSON configuration's values, each refusal a positioned diagnostic. Shared by the readers of
/// each section (<see cref="JsonConfigReader"/>, <see cref="JsonImageReader"/>, <see cref="JsonSectionReader"/>,
/// <see cref="JsonKustomizeReader"/>) so that every section reports a wrong type the same way.
/// </summary>
internal sealed class JsonValues(string displayPath, DiagnosticBag diagnostics)
{
    public delegate bool Check(string text, out string error);

    public DiagnosticBag Diagnostics => diagnostics;

    public SourcePosition At(JsonNodeAt node) => At(node.Line, node.Column);

    public SourcePosition At(int line, int column) => new(displayPath, line, column);

    public void Error(JsonNodeAt node, string path, string message) => diagnostics.Error(At(node), path, message);

    public Dictionary<string, JsonNodeAt> Fields(JsonObjectAt obj, string path, string[] known) =>
        diagnostics.Fields(obj.Properties.Select(p => (p.Name, At(p.Line, p.Column), p.Value)), path, known);

    /// <summary>The value as an object, or null after reporting what it is instead.</summary>
    public JsonObjectAt? Object(JsonNodeAt node, string path, string expected = "an object")
    {
        if (node is JsonObjectAt obj)
        {
            return obj;
        }
        Error(node, path, $"expected {expected}, got {node.KindName}");
        return null;
    }

    public JsonNodeAt? Required(Dictionary<string, JsonNodeAt> fields, JsonObjectAt obj, string path, string key)
    {
        if (fields.TryGetValue(key, out var node))
        {
            return node;
        }
        diagnostics.Error(At(obj), $"{path}.{key}", $"missing required field \"{key}\"");
        return null;
    }

    public string? String(JsonNodeAt node, string path)
    {
        if (node is JsonScalarAt { Token: JsonTokenType.String, Text: { } text })
        {
            return text;
        }
        Error(node, path, $"expected a string, got {node.KindName}");
        return null;
    }

    /// <summary>A string field that must pass <paramref name="check"/>; null when absent or refused (the refusal is reported).</summary>
    public string? CheckedString(Dictionary<string, JsonNodeAt> fields, string key, string path, Check check)
    {
        if (!fields.TryGetValue(key, out var node) || String(node, path) is not { } text)
        {
            return null;
        }
        if (check(text, out var error))
        {
            return text;
        }
        Error(node, path, error);
        return null;
    }

    public bool? Bool(JsonNodeAt node, string path)
    {
        if (node is JsonScalarAt { Token: JsonTokenType.True or JsonTokenType.False } scalar)
        {
            return scalar.Token == JsonTokenType.True;
        }
        Error(node, path, $"expected true or false, got {node.KindName}");
        return null;
    }

    public int? PositiveInt(JsonNodeAt node, string path)
    {
        if (node is JsonScalarAt { Token: JsonTokenType.Number } scalar && int.TryParse(scalar.Raw, out var value) && value > 0)
        {
            return value;
        }
        Error(node, path, $"expected a whole number greater than 0, got {(node is JsonScalarAt s ? s.Raw : node.KindName)}");
        return null;
    }

    public List<(string Text, JsonNodeAt Node)>? StringArray(JsonNodeAt node, string path)
    {
        if (node is not JsonArrayAt array)
        {
            Error(node, path, $"expected an array of strings, got {node.KindName}");
            return null;
        }
        var result = new List<(string, JsonNodeAt)>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (String(array.Items[i], $"{path}[{i}]") is { } text)
            {
                result.Add((text, array.Items[i]));
            }
        }
        return result.Count == array.Items.Count ? result : null;
    }

    /// <summary>A relative path without "..": a file or folder inside a repository (ours or upstream's).</summary>
    public string? RelativePath(JsonNodeAt node, string path, string where)
    {
        if (String(node, path) is not { } text)
        {
            return null;
        }
        if (!IsRelativePath(text))
        {
            Error(node, path, $"\"{text}\" is not a path inside {where} (relative, no \"..\")");
            return null;
        }
        return text;
    }

    public static bool IsRelativePath(string text) =>
        text.Length > 0 && !text.StartsWith('/') && !text.Contains('\\', StringComparison.Ordinal) && !text.Split('/').Any(p => p == "..") && !text.Any(char.IsControl);
}
