using ImageSync.Common;
using ImageSync.Copy;
using Spectre.Console;

namespace ImageSync.Reporting;

/// <summary>The summary table at the end of Status, DryRun, Sync and SyncAll.</summary>
public static class ResultTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<TagResult> results, SyncSummary summary)
    {
        var table = new Table().AddColumns("Image", "Tag", "Action", "Upstream digest", "Target digest", "Bytes", "Time");
        table.Columns[5].RightAligned();
        table.Columns[6].RightAligned();
        foreach (var r in results)
        {
            var target = r.TargetDigestAfter ?? r.TargetDigestBefore;
            table.AddRow(
                Markup.Escape(r.Image),
                Markup.Escape(r.Tag),
                Colour(r.Action),
                r.SourceDigest is { } source ? Markup.Escape(Short(source.ToString())) : "",
                target is { } t ? Markup.Escape(Short(t.ToString())) : "",
                r.Bytes == 0 ? "" : FormatBytes(r.Bytes),
                $"{r.Duration.TotalSeconds:0.00}s");
        }
        console.Write(table);
        foreach (var r in results.Where(r => r.Error is not null))
        {
            console.MarkupLine($"[red]{Markup.Escape(r.Action.Name())}[/] {Markup.Escape(r.Image)}:{Markup.Escape(r.Tag)}: {Markup.Escape(r.Error ?? "")}");
        }
        var counts = string.Join(", ", summary.ByAction.Select(kv => $"{kv.Value} {kv.Key}"));
        console.WriteLine($"{Plural.Of(summary.Total, "tag")}: {(counts.Length == 0 ? "nothing to do" : counts)}; {FormatBytes(summary.Bytes)} in {summary.Duration.TotalSeconds:0.0}s");
    }

    private static string Colour(TagAction action) => action switch
    {
        TagAction.InSync or TagAction.Copied => $"[green]{action.Name()}[/]",
        TagAction.WouldCopy or TagAction.Missing or TagAction.Outdated => $"[yellow]{action.Name()}[/]",
        _ => $"[red]{action.Name()}[/]",
    };

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB",
    };
}
