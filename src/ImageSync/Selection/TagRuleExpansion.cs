using System.Collections.Concurrent;
using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.Registry;

namespace ImageSync.Selection;

/// <summary>
/// Builds a run's work list where images carry tag rules: each such image in the run's scope (--image, --shard)
/// has its upstream tag list read once, the rules pick from it, and the picks join its listed tags. From there
/// every tag costs what a listed one does (two HEADs when in sync). With --tag the run works on that one tag, so no
/// list is read.
/// </summary>
public static class TagRuleExpansion
{
    /// <exception cref="ImageSyncException">--image names no image, or --tag is given without --image.</exception>
    public static async Task<RuleExpansion> ExpandAsync(SyncConfig config, string? image, string? tag, Shard? shard, ITagListSource lists, int parallelism, CancellationToken cancellationToken)
    {
        var scope = tag is not null ? [] : TagSelection.ImagesOf(config, image, shard).Where(i => i.Rules is not null).ToList();
        // One read per upstream repository, however many images mirror it.
        var byRepository = new ConcurrentDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var failedRepository = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var repositories = scope.Select(i => RepositoryAccess.Pull(i.Upstream)).DistinctBy(r => r.Name.Name);
        await Parallel.ForEachAsync(repositories, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (repository, ct) =>
        {
            try
            {
                byRepository[repository.Name.Name] = await lists.TagsAsync(repository, ct).ConfigureAwait(false);
            }
            catch (ImageSyncException e)
            {
                failedRepository[repository.Name.Name] = $"tag_rules: upstream's tag list: {e.Message}";
            }
        }).ConfigureAwait(false);
        var inScope = scope.ToHashSet(ReferenceEqualityComparer.Instance);

        // Which image writes each target tag: the listed tags first, so a rule never takes a tag another image lists.
        var writers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in config.Images)
        {
            foreach (var t in spec.Tags)
            {
                writers.TryAdd(Key(spec, t.Target), spec.Name);
            }
        }
        var failures = new List<TagResult>();
        var images = new List<ImagePicks>();
        var expanded = new List<ImageSpec>();
        foreach (var spec in config.Images)
        {
            var repository = spec.Upstream.NameOnly().Name;
            if (inScope.Contains(spec) && failedRepository.TryGetValue(repository, out var error))
            {
                failures.Add(Failure(spec, "tag_rules", error));
            }
            if (!inScope.Contains(spec) || !byRepository.TryGetValue(repository, out var upstream))
            {
                expanded.Add(spec);
                continue;
            }
            IReadOnlyList<TagPick> picks;
            try
            {
                picks = TagRuleEvaluator.Pick(spec.Rules!, upstream);
            }
            catch (ImageSyncException e)
            {
                failures.Add(Failure(spec, "tag_rules", $"tag_rules at {spec.Rules!.Position}: {e.Message}"));
                expanded.Add(spec);
                continue;
            }
            var explicitTags = spec.Tags.Select(t => t.Target).ToHashSet(StringComparer.Ordinal);
            var added = new List<TagPick>();
            foreach (var pick in picks.Where(p => !explicitTags.Contains(p.Tag)))
            {
                if (writers.TryGetValue(Key(spec, pick.Tag), out var other) && other != spec.Name)
                {
                    var reason = $"{spec.Target.WithTag(pick.Tag)} is also written by \"{other}\"; a rule never picks a tag another image writes";
                    failures.Add(Failure(spec, pick.Tag, reason));
                    continue;
                }
                writers[Key(spec, pick.Tag)] = spec.Name;
                added.Add(pick);
            }
            images.Add(new ImagePicks(spec, spec.Rules!, upstream.Distinct(StringComparer.Ordinal).Count(), added));
            expanded.Add(spec with { Tags = [.. spec.Tags, .. added.Select(p => new TagSpec(p.Tag, p.Tag, spec.Rules!.Position))] });
        }
        var config2 = config with { Images = expanded };
        return new RuleExpansion(config2, TagSelection.Select(config2, image, tag, shard), images, failures);
    }

    private static string Key(ImageSpec image, string tag) => $"{image.Target.Name}:{tag}";

    private static TagResult Failure(ImageSpec image, string tag, string error) =>
        new(image.Name, tag, image.Upstream, image.Target, null, null, null, TagAction.Error, 0, TimeSpan.Zero, error);
}
