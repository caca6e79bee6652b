namespace ImageSync.Verification;

/// <summary>A period a key or CA was trusted for (<c>validFor</c>); no end means still trusted.</summary>
public sealed record ValidFor(DateTimeOffset Start, DateTimeOffset? End)
{
    /// <summary>Inclusive at both ends (the conformance suite's *-validity-end-inclusive cases).</summary>
    public bool Contains(DateTimeOffset time) => time >= Start && (End is null || time <= End);
}
