using ImageSync.Common;
using ImageSync.Copy;
using Spectre.Console;

namespace ImageSync.Reporting;

/// <summary>The summary table at the end of Status, DryRun, Sync and SyncAll.</summary>
public static class ResultTable
{
    // Dropped first when the table is wider than the console: a narrow terminal loses columns, never has a name or a
    // digest broken across lines.
    private static readonly string[] FoldOrder = ["Time", "Upstream digest", "Bytes", "Target digest"];

    public static void Write(IAnsiConsole console, IReadOnlyList<TagResult> results, SyncSummary summary)
    {
        string[] headers = ["Image", "Tag", "Action", "Upstream digest", "Target digest", "Bytes", "Time"];
        var rows = results.Select(r => new[]
        {
            TagLabel.ImageOf(r.Image, r.Tag),
            r.Tag,
            r.Action.Name(),
            r.SourceDigest is { } source ? Short(source.ToString()) : "",
            (r.TargetDigestAfter ?? r.TargetDigestBefore) is { } t ? Short(t.ToString()) : "",
            r.Bytes == 0 ? "" : FormatBytes(r.Bytes),
            $"{r.Duration.TotalSeconds:0.00}s",
        }).ToList();
        var shown = Enumerable.Range(0, headers.Length).ToList();
        foreach (var fold in FoldOrder)
        {
            if (Width(headers, rows, shown) <= console.Profile.Width)
            {
                break;
            }
            shown.Remove(Array.IndexOf(headers, fold));
        }
        var table = new Table();
        foreach (var i in shown)
        {
            var column = new TableColumn(headers[i]).NoWrap();
            table.AddColumn(headers[i] is "Bytes" or "Time" ? column.RightAligned() : column);
        }
        foreach (var (row, result) in rows.Zip(results))
        {
            table.AddRow([.. shown.Select(i => i == 2 ? Colour(result.Action) : Markup.Escape(row[i]))]);
        }
        console.Write(table);
        foreach (var r in results.Where(r => r.Error is not null))
        {
            console.MarkupLine($"[red]{Markup.Escape(r.Action.Name())}[/] {Markup.Escape(TagLabel.Of(r.Image, r.Tag))}: {Markup.Escape(r.Error ?? "")}");
        }
        foreach (var r in results.Where(r => r.Notes is { Count: > 0 }))
        {
            foreach (var note in r.Notes!)
            {
                console.MarkupLine($"[yellow]note[/] {Markup.Escape(r.Image)}:{Markup.Escape(r.Tag)}: {Markup.Escape(note)}");
            }
        }
        // A backup tag that is taken is the tag's error line; the others say what was, or would be, kept.
        foreach (var r in results.Where(r => r.Backup is { State: not BackupState.Taken }))
        {
            console.MarkupLine($"[blue]backup[/] {Markup.Escape(r.Image)}:{Markup.Escape(r.Tag)}: {Markup.Escape(r.Backup!.Describe())}");
        }
        foreach (var r in results.Where(r => r.RetriedAfter is not null))
        {
            // Failing the same way again: the error line above says it; the table says it once.
            console.MarkupLine(r.RetriedAfter == r.Error
                ? $"[yellow]retried[/] {Markup.Escape(r.Image)}:{Markup.Escape(r.Tag)} once more at the end of the run, now {Markup.Escape(r.Action.Name())}, failing the same way"
                : $"[yellow]retried[/] {Markup.Escape(r.Image)}:{Markup.Escape(r.Tag)} once more at the end of the run, now {Markup.Escape(r.Action.Name())}; the first attempt failed on a transient error: {Markup.Escape(r.RetriedAfter ?? "")}");
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

    /// <summary>What the table takes with these columns: each at its widest value, plus Spectre's borders and padding.</summary>
    private static int Width(string[] headers, List<string[]> rows, List<int> shown) =>
        shown.Sum(i => rows.Select(r => r[i].Length).Append(headers[i].Length).Max() + 3) + 1;

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB",
    };
}
