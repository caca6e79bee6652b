using ImageSync.Config;
using ImageSync.Discovery;
using ImageSync.References;
using ImageSync.Upstream;

namespace ImageSync.AutoUpdate;

/// <summary>
/// Matches configured images to the references upstream's samples use. By repository first; registries move
/// (docker.io/istio/X became registry.istio.io/release/X with the same tags), so a repository that upstream no
/// longer names is looked for by its last path component under other registries, and then in the file the image's
/// <c>sample</c> points to (which also catches a renamed repository).
/// </summary>
public static class TagMatcher
{
    /// <param name="downstreamTags">Tags of the target image that the repository's own samples use, to tell which pinned tag is current.</param>
    public static IReadOnlyList<ImageUpdate> Match(SyncConfig config, IReadOnlyList<ImageOccurrence> upstream, Func<ImageSpec, IReadOnlySet<string>> downstreamTags) =>
        [.. config.Images.Select(image => MatchOne(image, upstream, downstreamTags(image)))];

    private static ImageUpdate MatchOne(ImageSpec image, IReadOnlyList<ImageOccurrence> upstream, IReadOnlySet<string> downstream)
    {
        var notes = new List<string>();
        var candidates = upstream.Where(o => o.Reference.Name == image.Upstream.Name).ToList();
        if (candidates.Count == 0)
        {
            var basename = LastComponent(image.Upstream.Repository);
            candidates = upstream.Where(o => LastComponent(o.Reference.Repository) == basename).ToList();
            if (candidates.Select(c => c.Reference.Name).Distinct().Count() > 1)
            {
                candidates = PreferSampleFile(image, candidates);
            }
        }
        if (candidates.Count == 0 && image.SamplePath is { } sample)
        {
            var inFile = upstream.Where(o => o.File == sample).ToList();
            var repositories = inFile.Select(o => o.Reference.Name).Distinct().ToList();
            if (repositories.Count == 1)
            {
                candidates = inFile;
            }
            else if (repositories.Count > 1)
            {
                notes.Add($"{sample} names {repositories.Count} repositories ({string.Join(", ", repositories)}); none matches {image.Upstream.Name}");
            }
            else
            {
                notes.Add($"{sample} has no image references upstream");
            }
        }
        if (candidates.Count == 0)
        {
            notes.Add($"upstream's samples no longer reference {image.Upstream.Name}");
            return new ImageUpdate(image, null, null, null, null, notes);
        }

        var repository = candidates.GroupBy(c => c.Reference.Name).OrderByDescending(g => g.Count()).First().First().Reference.NameOnly();
        candidates = [.. candidates.Where(c => c.Reference.Name == repository.Name)];
        if (repository.Name != image.Upstream.Name)
        {
            notes.Add($"moved: upstream now uses {repository.Name} (configured: {image.Upstream.Name})");
        }

        var tagged = candidates.Where(c => c.Reference.Tag is not null).ToList();
        if (tagged.Count == 0)
        {
            notes.Add($"upstream uses {repository.Name} without a tag ({string.Join(", ", candidates.Select(c => c.Location))})");
            return new ImageUpdate(image, repository, null, null, candidates[0], notes);
        }
        var (newTag, evidence) = ChooseTag(image, tagged, notes);
        return new ImageUpdate(image, repository, PinnedTagToReplace(image, newTag, downstream), newTag, evidence, notes);
    }

    private static List<ImageOccurrence> PreferSampleFile(ImageSpec image, List<ImageOccurrence> candidates)
    {
        if (image.SamplePath is { } sample && candidates.Where(c => c.File == sample).Select(c => c.Reference.Name).Distinct().ToList() is [var only])
        {
            return [.. candidates.Where(c => c.Reference.Name == only)];
        }
        return candidates;
    }

    /// <summary>One tag: that one. Several: the one in the file the config points to, else the highest version.</summary>
    private static (string Tag, ImageOccurrence Evidence) ChooseTag(ImageSpec image, List<ImageOccurrence> tagged, List<string> notes)
    {
        var tags = tagged.GroupBy(t => t.Reference.Tag!).ToList();
        if (tags.Count == 1)
        {
            return (tags[0].Key, tags[0].FirstOrDefault(o => o.File == image.SamplePath) ?? tags[0].First());
        }
        var described = string.Join("; ", tags.Select(g => $"{g.Key} in {string.Join(", ", g.Select(o => o.Location).Distinct())}"));
        if (image.SamplePath is { } sample && tagged.Where(t => t.File == sample).Select(t => t.Reference.Tag!).Distinct().ToList() is [var fromFile])
        {
            notes.Add($"upstream uses several tags ({described}); took {fromFile} from {sample}, the file the config names");
            return (fromFile, tagged.First(t => t.File == sample && t.Reference.Tag == fromFile));
        }
        var highest = TagVersion.NewestFirst(tags.Select(g => g.Key))[0];
        notes.Add($"upstream uses several tags ({described}); took the highest, {highest}");
        return (highest, tagged.First(t => t.Reference.Tag == highest));
    }

    /// <summary>
    /// Which configured tag the new one replaces: never a floating tag like latest; the only pinned tag; or, among
    /// several, the one the repository's samples use, else the highest version. Null: the tag is added.
    /// </summary>
    private static string? PinnedTagToReplace(ImageSpec image, string newTag, IReadOnlySet<string> downstream)
    {
        if (image.Tags.Any(t => t.Target == newTag))
        {
            return newTag;
        }
        var pinned = image.Tags.Select(t => t.Target).Where(t => !ConfigChecks.FloatingTags.Contains(t)).ToList();
        return pinned.Count switch
        {
            0 => null,
            1 => pinned[0],
            _ => pinned.Where(downstream.Contains).ToList() is [var used] ? used : TagVersion.NewestFirst(pinned)[0],
        };
    }

    private static string LastComponent(string repository) => repository[(repository.LastIndexOf('/') + 1)..];
}
