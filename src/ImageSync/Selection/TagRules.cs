using Semver;

namespace ImageSync.Selection;

/// <summary>
/// An image's <c>tag_rules</c> (or <c>"tags": "*"</c>): which of upstream's tags to mirror besides the listed ones.
/// A tag is picked when it matches <see cref="Semver"/> or one of <see cref="Include"/> (neither given: every tag),
/// unless it matches one of <see cref="Exclude"/>; <see cref="Latest"/> then keeps only the newest N versions of
/// those. Pre-releases count for <see cref="Semver"/> and <see cref="Latest"/> only with <see cref="Prerelease"/>.
/// </summary>
/// <param name="SemverText">The range as written, for messages ("semver &gt;=1.20.0 &lt;2").</param>
/// <param name="Position">Where the rules were written: the position of every tag they pick.</param>
public sealed record TagRules(
    string? SemverText,
    SemVersionRange? Semver,
    int? Latest,
    IReadOnlyList<TagPattern> Include,
    IReadOnlyList<TagPattern> Exclude,
    bool Prerelease,
    Config.SourcePosition Position)
{
    /// <summary><c>"tags": "*"</c>: every tag of the repository.</summary>
    public static TagRules EveryTag(Config.SourcePosition position) => new(null, null, null, [], [], false, position);

    /// <summary>No rule bounds the pick: every tag upstream has (less <see cref="Exclude"/>).</summary>
    public bool Unbounded => Semver is null && Latest is null && Include.Count == 0;

    /// <summary>The rules in one line, as List shows them: <c>semver &gt;=1.20.0 &lt;2, latest 3</c>.</summary>
    public string Description
    {
        get
        {
            var parts = new List<string>();
            if (Unbounded)
            {
                parts.Add("every tag");
            }
            if (SemverText is not null)
            {
                parts.Add($"semver {SemverText}");
            }
            parts.AddRange(Include.Select(p => $"include {p}"));
            parts.AddRange(Exclude.Select(p => $"exclude {p}"));
            if (Latest is { } n)
            {
                parts.Add($"latest {n}");
            }
            if (Prerelease)
            {
                parts.Add("pre-releases");
            }
            return string.Join(", ", parts);
        }
    }
}
