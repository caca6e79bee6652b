namespace ImageSync.Reporting;

/// <summary>
/// Defence in depth: no message we print or write may contain a secret we hold, even if a registry echoed it back.
/// </summary>
public sealed class SecretScrubber(IEnumerable<string> secrets)
{
    private readonly string[] _secrets = [.. secrets.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length)];

    public static SecretScrubber None { get; } = new([]);

    public string? Scrub(string? text)
    {
        if (text is null)
        {
            return null;
        }
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }
}
