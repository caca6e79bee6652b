namespace ImageSync.Config;

/// <summary>One finding about a configuration file, in the compiler form <c>file:line:col: field: message</c>.</summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourcePosition Position, string Field, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        var severity = IsError ? "" : "warning: ";
        var field = Field.Length == 0 ? "" : Field + ": ";
        return $"{Position}: {severity}{field}{Message}";
    }
}
