using ImageSync.Copy;
using ImageSync.Output;
using ImageSync.References;
using ImageSync.Reporting;
using Spectre.Console;

namespace ImageSync.Tests.Reporting;

/// <summary>The result table on a narrow terminal, the step summary's empty digest, and GitHub's error annotations.</summary>
public sealed class ResultOutputTests
{
    private static readonly Digest Some = Digest.Parse("sha256:" + new string('a', 64));

    private static TagResult Result(string image, string tag, TagAction action, Digest? digest, string? error = null) =>
        new(image, tag, Reference.Parse("docker.io/library/busybox:" + tag), Reference.Parse("quay.io/mirror/library/busybox:" + tag),
            digest, null, digest, action, 1234, TimeSpan.FromSeconds(1), error);

    private static string Render(int width, IReadOnlyList<TagResult> results)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = width;
        ResultTable.Write(console, results, SyncSummary.From(results, TimeSpan.FromSeconds(1)));
        return output.ToString();
    }

    [Fact]
    public void On_80_columns_the_table_drops_columns_and_keeps_every_name_and_digest_whole()
    {
        var name = "docker.io/library/busybox:1.31.1";
        var text = Render(80, [Result(name, "1.31.1", TagAction.Copied, Some)]);

        var lines = text.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 80, line));
        // kyma's name carries the tag; the row names it once, in the tag column.
        Assert.Contains(lines, line => line.Contains("docker.io/library/busybox ", StringComparison.Ordinal) && line.Contains("sha256:aaaaaaaaaaaa", StringComparison.Ordinal));
        Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Upstream digest", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_console_shows_every_column()
    {
        var text = Render(200, [Result("pilot", "1.0", TagAction.Copied, Some)]);

        Assert.Contains("Upstream digest", text, StringComparison.Ordinal);
        Assert.Contains("Time", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_digest_in_the_step_summary_is_a_dash_not_an_empty_code_span()
    {
        var path = Path.GetTempFileName();
        try
        {
            IReadOnlyList<TagResult> results = [Result("pilot", "1.0", TagAction.UpstreamMissing, null, "no such tag"), Result("proxy", "2.0", TagAction.Copied, Some)];
            await StepSummary.AppendAsync(path, "SyncAll", results, SyncSummary.From(results, TimeSpan.Zero), new OutputGuard(), CancellationToken.None);

            var text = await File.ReadAllTextAsync(path);
            Assert.Contains("| pilot | 1.0 | upstream-missing | - |", text, StringComparison.Ordinal);
            Assert.Contains($"| `{Some}` |", text, StringComparison.Ordinal);
            Assert.DoesNotContain("``", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_annotation_escapes_what_would_end_it_early()
    {
        Assert.Equal("::error title=SyncAll%3A a%2Cb::50%25 done%0Anext line", ActionsAnnotation.Error("SyncAll: a,b", "50% done\nnext line"));
        Assert.Equal("::error::plain", ActionsAnnotation.Error(null, "plain"));
        Assert.True(ActionsAnnotation.Enabled(name => name == "GITHUB_ACTIONS" ? "true" : null));
        Assert.False(ActionsAnnotation.Enabled(_ => null));
    }
}
