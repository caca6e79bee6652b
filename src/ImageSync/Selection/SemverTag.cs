using System.Globalization;
using ImageSync.Discovery;
using Semver;

namespace ImageSync.Selection;

/// <summary>
/// A tag as a semantic version, for <c>tag_rules.semver</c>: the tags <see cref="TagVersion"/> reads as versions
/// (Discover's reading, so both agree on what a version is), with missing numbers as zeros (<c>1.29</c> is 1.29.0,
/// <c>v2</c> is 2.0.0) and the part after the first '-' as the pre-release (<c>1.29-dev</c> is 1.29.0-dev). Four
/// numbers (<c>1.2.3.4</c>), or a pre-release semver refuses (<c>1.0-rc.01</c>), is not a semantic version.
/// </summary>
public static class SemverTag
{
    public static SemVersion? Parse(string tag)
    {
        if (TagVersion.TryParse(tag) is not { Numbers.Count: <= 3 } version)
        {
            return null;
        }
        var numbers = string.Join('.', Enumerable.Range(0, 3).Select(i => (i < version.Numbers.Count ? version.Numbers[i] : 0).ToString(CultureInfo.InvariantCulture)));
        var text = version.PreRelease is null ? numbers : $"{numbers}-{version.PreRelease}";
        return SemVersion.TryParse(text, SemVersionStyles.Strict, out var semver) ? semver : null;
    }
}
