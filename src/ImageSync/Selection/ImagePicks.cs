using ImageSync.Common;
using ImageSync.Config;

namespace ImageSync.Selection;

/// <summary>What one image's rules picked from upstream's tag list this run.</summary>
/// <param name="UpstreamTags">How many tags upstream listed (artefact tags included).</param>
/// <param name="Picks">The tags the rules add to the listed ones (a listed tag is not picked again; a tag another image writes is an error row instead).</param>
public sealed record ImagePicks(ImageSpec Image, TagRules Rules, int UpstreamTags, IReadOnlyList<TagPick> Picks)
{
    /// <summary>How many picks a run's line names before it says how many more (List shows every one).</summary>
    public const int ShownInLine = 20;

    /// <summary>One line for a run's output: <c>app: tag_rules (semver &gt;=1.20 &lt;2) pick 2 of 7 upstream tags: 1.21.0 (...), ...</c>.</summary>
    public string Line
    {
        get
        {
            var head = $"{Image.Name}: tag_rules ({Rules.Description}) pick {Picks.Count} of {Plural.Of(UpstreamTags, "upstream tag")}";
            if (Picks.Count == 0)
            {
                return head;
            }
            var shown = string.Join(", ", Picks.Take(ShownInLine));
            return Picks.Count > ShownInLine ? $"{head}: {shown}, and {Picks.Count - ShownInLine} more" : $"{head}: {shown}";
        }
    }
}
