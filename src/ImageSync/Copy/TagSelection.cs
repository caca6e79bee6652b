using ImageSync.Config;
using ImageSync.Errors;
using ImageSync.Reporting;

using ImageSync.Common;

namespace ImageSync.Copy;

/// <summary>
/// The tags a run works on: every configured one, one image's (--image), one tag of it (--tag, listed or not), and
/// of those only the images of --shard. <see cref="Note"/> and <see cref="ShardLine"/> are what the run says about
/// the choice.
/// </summary>
public sealed record TagSelection(IReadOnlyList<(ImageSpec Image, TagSpec Tag)> Work, string? Note, string? ShardLine)
{
    /// <exception cref="ImageSyncException">--image names no image, or --tag is given without --image.</exception>
    public static TagSelection Select(SyncConfig config, string? image, string? tag, Shard? shard)
    {
        if (tag is not null && image is null)
        {
            // A tag alone would be that tag of every image: never what a workflow's "tag" input meant.
            throw new ImageSyncException($"--tag {tag} needs --image NAME: a tag is chosen within one image");
        }
        var images = ImagesOf(config, image);
        List<(ImageSpec, TagSpec)> work = [.. images
            .Where(i => shard is null || shard.Contains(i))
            .SelectMany(i => tag is null ? i.Tags.Select(t => (i, t))
                : [(i, i.Tags.FirstOrDefault(t => t.Target == tag) ?? new TagSpec(tag, tag, i.Positions.Entry))])];

        string? note = null;
        if (image is not null && tag is not null && images[0] is var chosen && !chosen.Tags.Any(t => t.Target == tag))
        {
            // As crane copy did in sail-operator's script: a tag the configuration does not list is copied as asked.
            note = $"note: {image} lists no tag \"{tag}\" (it has {string.Join(", ", chosen.Tags.Select(t => t.Target).Concat(chosen.Rules is { } rules ? [$"tag_rules: {rules.Description}"] : []))}); working on {tag} as asked, without adding it to {Path.GetFileName(config.Path)}";
        }
        var shardLine = shard is null ? null : $"shard {shard}: {Plural.Of(work.Select(w => w.Item1).Distinct().Count(), "image")} of {config.Images.Count}";
        return new TagSelection(work, note, shardLine);
    }

    /// <summary>The images a run works on: every one, or the one --image names; then only those of --shard.</summary>
    /// <exception cref="ImageSyncException">--image names no image.</exception>
    public static IReadOnlyList<ImageSpec> ImagesOf(SyncConfig config, string? image, Shard? shard) =>
        [.. ImagesOf(config, image).Where(i => shard is null || shard.Contains(i))];

    private static IReadOnlyList<ImageSpec> ImagesOf(SyncConfig config, string? image) =>
        image is null ? config.Images
            : config.FindImage(image) is { } one ? [one]
            : throw new ImageSyncException($"no image \"{image}\" in {config.Path}{Suggestions.DidYouMean(image, config.Images.Select(i => i.Name))}");
}
