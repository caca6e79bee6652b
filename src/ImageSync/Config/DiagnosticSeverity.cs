namespace ImageSync.Config;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
