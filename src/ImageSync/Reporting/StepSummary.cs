using System.Text;
using ImageSync.Copy;
using ImageSync.Output;

namespace ImageSync.Reporting;

/// <summary>In GitHub Actions, the run's results as a Markdown table on the job's summary page ($GITHUB_STEP_SUMMARY).</summary>
public static class StepSummary
{
    public static async Task AppendAsync(string path, string title, IReadOnlyList<TagResult> results, SyncSummary summary, OutputGuard guard, CancellationToken cancellationToken)
    {
        var text = new StringBuilder($"### imagesync {title}").AppendLine().AppendLine();
        text.AppendLine("| image | tag | action | digest | bytes | error |").AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            // No digest (upstream missing, an error before the HEAD) is a dash: an empty code span renders as stray backticks.
            var digest = (r.TargetDigestAfter ?? r.SourceDigest)?.ToString() is { } d ? $"`{d}`" : "-";
            var error = Untrusted.Line(r.Error).Replace("|", "\\|", StringComparison.Ordinal);
            text.AppendLine($"| {r.Image} | {r.Tag} | {r.Action.Name()} | {digest} | {(r.Bytes == 0 ? "" : ResultTable.FormatBytes(r.Bytes))} | {error} |");
        }
        text.AppendLine().AppendLine($"{ResultTable.Count(summary.Total, "tag")}: {string.Join(", ", summary.ByAction.Select(kv => $"{kv.Value} {kv.Key}"))}; {ResultTable.FormatBytes(summary.Bytes)} in {summary.Duration.TotalSeconds:0.0}s").AppendLine();
        await File.AppendAllTextAsync(path, guard.Clean(text.ToString()), cancellationToken).ConfigureAwait(false);
    }
}
