using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageSync.Discovery;

/// <summary>
/// A tag read as a version where it is one: <c>1.0</c>, <c>v2.15.0</c>, <c>1.2.3-rc.1</c>. Ordering follows semantic
/// versioning (a pre-release sorts before its release); tags that are not versions sort after all versions.
/// </summary>
public sealed partial record TagVersion(string Tag, IReadOnlyList<long> Numbers, string? PreRelease) : IComparable<TagVersion>
{
    [GeneratedRegex(@"^v?(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z.-]+))?$")]
    private static partial Regex VersionPattern();

    public static TagVersion? TryParse(string tag)
    {
        var match = VersionPattern().Match(tag);
        if (!match.Success)
        {
            return null;
        }
        var numbers = match.Groups[1].Value.Split('.').Select(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue).ToList();
        return new TagVersion(tag, numbers, match.Groups[2].Success ? match.Groups[2].Value : null);
    }

    public int CompareTo(TagVersion? other)
    {
        if (other is null)
        {
            return 1;
        }
        for (var i = 0; i < Math.Max(Numbers.Count, other.Numbers.Count); i++)
        {
            var a = i < Numbers.Count ? Numbers[i] : 0;
            var b = i < other.Numbers.Count ? other.Numbers[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }
        if (PreRelease is null || other.PreRelease is null)
        {
            // A release is newer than its pre-releases; equal versions differ only in spelling (v1.0 vs 1.0).
            return (PreRelease is null ? 1 : 0) - (other.PreRelease is null ? 1 : 0);
        }
        return ComparePreRelease(PreRelease, other.PreRelease);
    }

    public static bool operator <(TagVersion? left, TagVersion? right) => Compare(left, right) < 0;

    public static bool operator <=(TagVersion? left, TagVersion? right) => Compare(left, right) <= 0;

    public static bool operator >(TagVersion? left, TagVersion? right) => Compare(left, right) > 0;

    public static bool operator >=(TagVersion? left, TagVersion? right) => Compare(left, right) >= 0;

    private static int Compare(TagVersion? left, TagVersion? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static int ComparePreRelease(string a, string b)
    {
        var left = a.Split('.');
        var right = b.Split('.');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var leftNumeric = long.TryParse(left[i], NumberStyles.None, CultureInfo.InvariantCulture, out var l);
            var rightNumeric = long.TryParse(right[i], NumberStyles.None, CultureInfo.InvariantCulture, out var r);
            var order = (leftNumeric, rightNumeric) switch
            {
                (true, true) => l.CompareTo(r),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(left[i], right[i]),
            };
            if (order != 0)
            {
                return order;
            }
        }
        return left.Length.CompareTo(right.Length);
    }

    /// <summary>Newest first: versions by version, then the other tags alphabetically.</summary>
    public static IReadOnlyList<string> NewestFirst(IEnumerable<string> tags) =>
        [.. tags.Distinct(StringComparer.Ordinal).Order(NewestFirstOrder.Instance)];

    /// <summary>The order of <see cref="NewestFirst"/>, for keeping only the first few of a long stream.</summary>
    public sealed class NewestFirstOrder : IComparer<string>
    {
        public static NewestFirstOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            var a = x is null ? null : TryParse(x);
            var b = y is null ? null : TryParse(y);
            return (a, b) switch
            {
                (not null, not null) => b.CompareTo(a) is var order and not 0 ? order : string.CompareOrdinal(x, y),
                (not null, null) => -1,
                (null, not null) => 1,
                _ => string.CompareOrdinal(x, y),
            };
        }
    }
}
