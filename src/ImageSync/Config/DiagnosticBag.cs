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

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>File order, so the output reads top to bottom like a compiler's.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column)];
}
