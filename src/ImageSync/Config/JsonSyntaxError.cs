namespace ImageSync.Config;

internal sealed class JsonSyntaxError(int line, int column, string message) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}
