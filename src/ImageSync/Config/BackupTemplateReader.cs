using System.Text.Json;

namespace ImageSync.Config;

/// <summary>
/// Reads an image's (or the defaults') <c>backup</c>: a <see cref="BackupTemplate"/> string, or <c>false</c> for an
/// image that keeps no backups whatever the defaults say. A refusal points at the character it is about.
/// </summary>
internal sealed class BackupTemplateReader(JsonValues values)
{
    /// <returns>The template; null when there is none, when it is turned off (<paramref name="off"/>), or when it was refused (reported).</returns>
    public BackupTemplate? Read(JsonNodeAt node, string path, out bool off)
    {
        off = node is JsonScalarAt { Token: JsonTokenType.False };
        if (off)
        {
            return null;
        }
        if (node is not JsonScalarAt { Token: JsonTokenType.String, Text: { } text } scalar)
        {
            values.Error(node, path, $"expected a backup tag template such as \"{{tag}}-{{date}}\", or false, got {node.KindName}");
            return null;
        }
        if (BackupTemplate.TryParse(text, out var template, out var error, out var offset))
        {
            return template;
        }
        // Without escapes (the raw value as long as the text), its characters are where they are written, after the quote.
        var column = scalar.Raw.Length == text.Length ? scalar.Column + 1 + offset : scalar.Column;
        values.Diagnostics.Error(values.At(scalar.Line, column), path, $"\"{Output.Untrusted.Line(text, 140)}\": {error}");
        return null;
    }

    /// <summary>Every tag of the image gets backups that are tags, and never one of the image's own tags.</summary>
    public bool Check(BackupTemplate template, JsonNodeAt node, string path, IReadOnlyList<TagSpec> tags)
    {
        var ok = true;
        foreach (var tag in tags)
        {
            if (template.Refusal(tag.Target, tags.Where(t => t != tag).Select(t => t.Target)) is { } refusal)
            {
                values.Error(node, path, $"\"{Output.Untrusted.Line(template.Text, 140)}\": {refusal}");
                ok = false;
            }
        }
        return ok;
    }
}
