namespace ImageSync.Selection;

/// <summary>One upstream tag the rules picked, and why: <c>1.29.0 (semver &gt;=1.20.0 &lt;2)</c>.</summary>
public sealed record TagPick(string Tag, string Why)
{
    public override string ToString() => $"{Tag} ({Why})";
}
