using ImageSync.Config;

namespace ImageSync.Tests.Config;

/// <summary>--shard K/N: which images a shard holds.</summary>
public sealed class ShardTests
{
    [Fact]
    public void Every_image_falls_in_exactly_one_shard_and_adding_images_moves_none_of_the_others()
    {
        var names = Enumerable.Range(0, 200).Select(i => $"image-{i}").ToList();
        var before = names.ToDictionary(n => n, n => Shard.Of(n, 4));
        var more = names.Concat(Enumerable.Range(200, 20).Select(i => $"image-{i}")).ToList();

        foreach (var name in names)
        {
            var holders = Enumerable.Range(1, 4).Count(k => new Shard(k, 4).Contains(Image(name)));
            Assert.Equal(1, holders);
        }
        Assert.All(names, n => Assert.Equal(before[n], more.Where(m => m == n).Select(m => Shard.Of(m, 4)).Single()));
        Assert.All(Enumerable.Range(1, 4), k => Assert.InRange(before.Values.Count(v => v == k), 30, 70));
    }

    private static ImageSpec Image(string name) =>
        new(name, ImageSync.References.Reference.Parse("docker.io/a/b"), ImageSync.References.Reference.Parse("quay.io/a/b"), [], null, [], false,
            new FieldPositions("images[0]", new SourcePosition("c.json", 1, 1), new Dictionary<string, SourcePosition>()));
}
