using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Copy;

/// <summary>Which tags a run works on: --image, --tag and --shard, without the command line.</summary>
public sealed class TagSelectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-select-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<SyncConfig> Config() => ConfigText.LoadAsync(_dir, ("pilot", "docker.io/istio/pilot", ["1.0", "1.1"]), ("proxy", "docker.io/istio/proxy", ["2.0"]));

    [Fact]
    public async Task Nothing_named_is_every_configured_tag_in_order()
    {
        var selection = TagSelection.Select(await Config(), null, null, null);

        Assert.Equal(["pilot:1.0", "pilot:1.1", "proxy:2.0"], selection.Work.Select(w => $"{w.Image.Name}:{w.Tag.Target}"));
        Assert.Null(selection.Note);
        Assert.Null(selection.ShardLine);
    }

    [Fact]
    public async Task A_tag_the_configuration_does_not_list_is_worked_on_as_asked_and_said_so()
    {
        var selection = TagSelection.Select(await Config(), "pilot", "9.9", null);

        var (image, tag) = Assert.Single(selection.Work);
        Assert.Equal(("pilot", "9.9", "9.9"), (image.Name, tag.Source, tag.Target));
        Assert.StartsWith("note: pilot lists no tag \"9.9\" (it has 1.0, 1.1); working on 9.9 as asked", selection.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listed_tag_is_the_configured_one_with_no_note()
    {
        var selection = TagSelection.Select(await Config(), "pilot", "1.1", null);

        Assert.Equal("1.1", Assert.Single(selection.Work).Tag.Target);
        Assert.Null(selection.Note);
    }

    [Fact]
    public async Task A_tag_without_an_image_is_refused_rather_than_synced_in_every_image()
    {
        var e = Assert.Throws<ImageSyncException>(() => TagSelection.Select(Config().Result, null, "1.0", null));

        Assert.Equal("--tag 1.0 needs --image NAME: a tag is chosen within one image", e.Message);
    }

    [Fact]
    public async Task An_unknown_image_is_refused_with_the_nearest_name()
    {
        var config = await Config();
        var e = Assert.Throws<ImageSyncException>(() => TagSelection.Select(config, "pilo", null, null));

        Assert.Equal($"no image \"pilo\" in {config.Path} (did you mean \"pilot\"?)", e.Message);
    }

    [Fact]
    public async Task A_shard_keeps_only_its_images_and_says_how_many()
    {
        var config = await Config();
        var shards = Enumerable.Range(1, 2).Select(k => TagSelection.Select(config, null, null, new Shard(k, 2))).ToList();

        Assert.Equal(3, shards.Sum(s => s.Work.Count));
        Assert.All(shards, s => Assert.All(s.Work, w => Assert.Contains(w.Image, config.Images)));
        Assert.Matches(@"^shard 1/2: \d images? of 2$", shards[0].ShardLine);
    }
}
