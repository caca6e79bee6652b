namespace ImageSync.Config;

/// <summary>
/// How many shards a CI matrix should run for a set of images: the most shards, up to a maximum, for which every
/// shard holds at least one image. <see cref="Shard"/> places an image by a hash of its name (so adding an image moves
/// no other), which leaves some shard empty for some counts (4 images in 3 shards: 2, 0 and 2): a runner set up for
/// nothing. The plan picks the largest count with no empty shard, and 1 when no larger one has that.
/// </summary>
public sealed record ShardPlan(int Count, IReadOnlyList<IReadOnlyList<string>> Shards)
{
    /// <summary>The plan for <paramref name="names"/> in at most <paramref name="max"/> shards (clamped to 1..<see cref="Shard.MaxCount"/>).</summary>
    public static ShardPlan For(IEnumerable<string> names, int max)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var ceiling = Math.Min(Math.Clamp(max, 1, Shard.MaxCount), Math.Max(distinct.Count, 1));
        for (var count = ceiling; count > 1; count--)
        {
            var shards = Split(distinct, count);
            if (shards.All(s => s.Count > 0))
            {
                return new ShardPlan(count, shards);
            }
        }
        return new ShardPlan(1, [distinct]);
    }

    /// <summary>The shard numbers 1..Count, as a JSON array a workflow's <c>fromJSON</c> turns into a matrix.</summary>
    public string MatrixJson => "[" + string.Join(",", Enumerable.Range(1, Count)) + "]";

    private static List<IReadOnlyList<string>> Split(List<string> names, int count) =>
        [.. Enumerable.Range(1, count).Select(k => (IReadOnlyList<string>)[.. names.Where(n => Shard.Of(n, count) == k)])];
}
