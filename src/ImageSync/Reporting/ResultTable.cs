using ImageSync.Copy;
using Spectre.Console;

namespace ImageSync.Reporting;

/// <summary>The summary table at the end of Status, DryRun, Sync and SyncAll.</summary>
public static class ResultTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<TagResult> results, SyncSummary summary)
    {
        var table = new Table().AddColumns("Image", "Tag", "Action", "Digest", "Bytes", "Time");
        table.Columns[4].RightAligned();
        table.Columns[5].RightAligned();
        foreach (var r in results)
        {
            var digest = r.TargetDigestAfter ?? r.SourceDigest;
            table.AddRow(
                Markup.Escape(r.Image),
                Markup.Escape(r.Tag),
                Colour(r.Action),
                digest is null ? "" : Markup.Escape(Short(digest.Value.ToString())),
                r.Bytes == 0 ? "" : FormatBytes(r.Bytes),
                $"{r.Duration.TotalSeconds:0.00}s");
        }
        console.Write(table);
        foreach (var r in results.Where(r => r.Error is not null))
        {
            console.MarkupLine($"[red]{Markup.Escape(r.Action.Name())}[/] {Markup.Escape(r.Image)}:{Markup.Escape(r.Tag)}: {Markup.Escape(r.Error ?? "")}");
        }
        var counts = string.Join(", ", summary.ByAction.Select(kv => $"{kv.Value} {kv.Key}"));
        console.WriteLine($"{summary.Total} tags: {(counts.Length == 0 ? "nothing to do" : counts)}; {FormatBytes(summary.Bytes)} in {summary.Duration.TotalSeconds:0.0}s");
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
