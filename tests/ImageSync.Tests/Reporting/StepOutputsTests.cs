using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>$GITHUB_OUTPUT lines: appended as NAME=VALUE, and never a line that could add an output of its own.</summary>
public sealed class StepOutputsTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Outputs_are_appended_after_what_earlier_steps_wrote()
    {
        await File.WriteAllTextAsync(_file, "earlier=1\n");

        await StepOutputs.AppendAsync(_file, [("shard-count", "2"), ("shards", "[1,2]")], CancellationToken.None);

        Assert.Equal("earlier=1\nshard-count=2\nshards=[1,2]\n", await File.ReadAllTextAsync(_file));
    }

    [Theory]
    [InlineData("shards", "[1]\nevil=1")]
    [InlineData("shards", "[1]\r")]
    [InlineData("sha rds", "1")]
    [InlineData("a=b", "1")]
    [InlineData("", "1")]
    public async Task A_name_or_value_that_would_make_another_line_is_refused_and_nothing_is_written(string name, string value)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => StepOutputs.AppendAsync(_file, [("ok", "1"), (name, value)], CancellationToken.None));

        Assert.Equal("", await File.ReadAllTextAsync(_file));
    }
}
