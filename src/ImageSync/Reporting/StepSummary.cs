using ImageSync.Common;
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
            var digest = (r.TargetDigestAfter ?? r.SourceDigest)?.ToString() ?? "";
            var error = Untrusted.Line(r.Error).Replace("|", "\\|", StringComparison.Ordinal);
            text.AppendLine($"| {r.Image} | {r.Tag} | {r.Action.Name()} | `{digest}` | {(r.Bytes == 0 ? "" : ResultTable.FormatBytes(r.Bytes))} | {error} |");
        }
        text.AppendLine().AppendLine($"{Plural.Of(summary.Total, "tag")}: {string.Join(", ", summary.ByAction.Select(kv => $"{kv.Value} {kv.Key}"))}; {ResultTable.FormatBytes(summary.Bytes)} in {summary.Duration.TotalSeconds:0.0}s").AppendLine();
        await File.AppendAllTextAsync(path, guard.Clean(text.ToString()), cancellationToken).ConfigureAwait(false);
    }
}
