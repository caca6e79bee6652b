using ImageSync.Common;
using System.Text;
using ImageSync.Copy;
using ImageSync.Output;

namespace ImageSync.Reporting;

/// <summary>In GitHub Actions, the run's results as a Markdown table on the job's summary page ($GITHUB_STEP_SUMMARY).</summary>
public static partial class StepSummary
{
    public static async Task AppendAsync(string path, string title, IReadOnlyList<TagResult> results, SyncSummary summary, OutputGuard guard, CancellationToken cancellationToken)
    {
        var text = new StringBuilder($"### imagesync {title}").AppendLine().AppendLine();
        text.AppendLine("| image | tag | action | digest | bytes | error |").AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            // No digest (upstream missing, an error before the HEAD) is a dash: an empty code span renders as stray backticks.
            var digest = (r.TargetDigestAfter ?? r.SourceDigest)?.ToString() is { } d ? $"`{d}`" : "-";
            text.AppendLine($"| {Cell(r.Image)} | {Cell(r.Tag)} | {r.Action.Name()} | {digest} | {(r.Bytes == 0 ? "" : ResultTable.FormatBytes(r.Bytes))} | {Code(r.Error)} |");
        }
        text.AppendLine().AppendLine($"{Plural.Of(summary.Total, "tag")}: {string.Join(", ", summary.ByAction.Select(kv => $"{kv.Value} {kv.Key}"))}; {ResultTable.FormatBytes(summary.Bytes)} in {summary.Duration.TotalSeconds:0.0}s").AppendLine();
        await File.AppendAllTextAsync(path, guard.Clean(text.ToString()), cancellationToken).ConfigureAwait(false);
    }

    // Names, tags and error text may come from a shard's report or a registry. A name made only of what the
    // reference grammar allows is shown as it is; anything else, and every error, stands in a code span, where it
    // cannot add headings, links, images, HTML or mentions to the page; a pipe is escaped so it cannot end the cell.
    private static string Cell(string value) => PlainName().IsMatch(value) ? value : Code(value);

    private static string Code(string? value) => string.IsNullOrEmpty(value) ? "" : Untrusted.Code(value).Replace("|", "\\|", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$")]
    private static partial System.Text.RegularExpressions.Regex PlainName();
}
