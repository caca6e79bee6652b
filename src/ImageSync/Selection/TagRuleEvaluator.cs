using ImageSync.Discovery;
using ImageSync.References;

namespace ImageSync.Selection;

/// <summary>
/// Applies an image's <see cref="TagRules"/> to upstream's tag list: pure, so every rule is tested without a
/// registry. The picks come newest first, in Discover's order (<see cref="TagVersion.NewestFirstOrder"/>).
/// </summary>
public static class TagRuleEvaluator
{
    public static IReadOnlyList<TagPick> Pick(TagRules rules, IEnumerable<string> upstreamTags)
    {
        var picks = new List<TagPick>();
        foreach (var tag in upstreamTags.Distinct(StringComparer.Ordinal))
        {
            // cosign's .sig/.att/.sbom tags and the referrers fallback describe an image; they are never one to mirror
            // as a tag of its own (signatures travel with their image).
            if (ArtifactTags.IsArtifactTag(tag) || rules.Exclude.Any(p => p.IsMatch(tag)))
            {
                continue;
            }
            if (Why(rules, tag) is { } why)
            {
                picks.Add(new TagPick(tag, why));
            }
        }
        IEnumerable<TagPick> newestFirst = picks.OrderBy(p => p.Tag, TagVersion.NewestFirstOrder.Instance);
        if (rules.Latest is { } n)
        {
            // "Newest" is a version order: a tag that is no version (latest, main, a commit) has no place in it.
            newestFirst = newestFirst
                .Where(p => TagVersion.TryParse(p.Tag) is { } v && (rules.Prerelease || v.PreRelease is null))
                .Take(n)
                .Select(p => p with { Why = p.Why.Length == 0 ? $"latest {n}" : $"{p.Why}, latest {n}" });
        }
        return [.. newestFirst];
    }

    /// <summary>Which rule picks <paramref name="tag"/>, before <see cref="TagRules.Latest"/>; null: none does.</summary>
    private static string? Why(TagRules rules, string tag)
    {
        if (rules.Semver is null && rules.Include.Count == 0)
        {
            return rules.Latest is null ? "every tag" : "";
        }
        if (rules.Semver is not null && SemverTag.Parse(tag) is { } version && rules.Semver.Contains(version))
        {
            return $"semver {rules.SemverText}";
        }
        return rules.Include.FirstOrDefault(p => p.IsMatch(tag)) is { } pattern ? $"include {pattern}" : null;
    }
}
