namespace ImageSync.Registry.Http;

/// <summary>
/// How often a host answered 5xx lately, counted in blocks of <see cref="Window"/> answers: a block in which at least
/// half were 5xx says the host is overloaded (not one bad request), and the next block starts afresh, so a host is
/// slowed down at most once per block. Thread-safe.
/// </summary>
internal sealed class ServerErrorRate
{
    public const int Window = 16;

    private readonly Lock _lock = new();
    private int _answers;
    private int _errors;

    /// <returns>True when this answer closed a block in which at least half the answers were 5xx.</returns>
    public bool Record(bool serverError)
    {
        lock (_lock)
        {
            _answers++;
            _errors += serverError ? 1 : 0;
            if (_answers < Window)
            {
                return false;
            }
            var high = _errors * 2 >= Window;
            (_answers, _errors) = (0, 0);
            return high;
        }
    }
}
