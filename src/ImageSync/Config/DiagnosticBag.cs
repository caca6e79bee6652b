using ImageSync.Common;

namespace ImageSync.Config;

/// <summary>Collects every finding so that a user sees all problems of a file at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Error(SourcePosition at, string field, string message) =>
        _items.Add(new Diagnostic(DiagnosticSeverity.Error, at, field, message));

    public void Warning(SourcePosition at, string field, string message) =>
        _items.Add(new Diagnostic(DiagnosticSeverity.Warning, at, field, message));

    /// <summary>
    /// The fields of one object by name, for either file format: an unknown key (with a suggestion) or a key given
    /// twice is an error at the key; the first of a repeated key is kept.
    /// </summary>
    public Dictionary<string, TNode> Fields<TNode>(IEnumerable<(string Key, SourcePosition At, TNode Value)> entries, string path, string[] known)
    {
        var fields = new Dictionary<string, TNode>(StringComparer.Ordinal);
        foreach (var (key, at, value) in entries)
        {
            var fieldPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!known.Contains(key))
            {
                Error(at, fieldPath, $"unknown field \"{key}\"{Suggestions.DidYouMean(key, known)}");
            }
            else if (!fields.TryAdd(key, value))
            {
                Error(at, fieldPath, $"field \"{key}\" is given twice");
            }
        }
        return fields;
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>File order, so the output reads top to bottom like a compiler's.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column)];
}
