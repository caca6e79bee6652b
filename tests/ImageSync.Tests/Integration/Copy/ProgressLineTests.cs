using System.Text.RegularExpressions;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>In a CI log, each finished tag gets its own number once, in order, however many finish at once.</summary>
public sealed partial class ProgressLineTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [GeneratedRegex(@"^\[(\d+)/(\d+)\] ", RegexOptions.Multiline)]
    private static partial Regex Counter();

    [Fact]
    public async Task Tags_finishing_together_are_numbered_one_to_n_each_once()
    {
        var image = TestImage.Create("counted", ["linux/amd64"], [1024]);
        string[] tags = ["1", "2", "3", "4", "5", "6", "7", "8"];
        foreach (var tag in tags)
        {
            await image.PushAsync(_world.Upstream, "istio/counted", tag);
        }
        var config = _world.Config(("counted", "istio/counted", "mirror/counted", tags, ""));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var numbers = Counter().Matches(run.Out).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, tags.Length), numbers.Select(n => n.Item1));
        Assert.All(numbers, n => Assert.Equal("8", n.Item2));
    }
}
