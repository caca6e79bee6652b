using System.Diagnostics;
using ImageSync.Reporting;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>The table at the end of a run: each target that ran, how it ended, and how long it took, as Nuke prints it.</summary>
internal sealed class RunSummary
{
    private readonly List<(string Target, string Status, TimeSpan Duration)> _rows = [];

    public void Skipped(string target) => _rows.Add((target, "Skipped", TimeSpan.Zero));

    public void Ran(string target, int exitCode, Stopwatch clock) => _rows.Add((target, exitCode switch
    {
        ExitCodes.Success => "Succeeded",
        ExitCodes.NotInSync => "Not in sync",
        ExitCodes.Interrupted or ExitCodes.Terminated => "Interrupted",
        _ => "Failed",
    }, clock.Elapsed));

    public void Write(IAnsiConsole output)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Target").AddColumn("Status").AddColumn(new TableColumn("Duration").RightAligned());
        foreach (var (target, status, duration) in _rows)
        {
            table.AddRow(Markup.Escape(target), status, FormatDuration(duration));
        }
        table.AddRow("Total", "", FormatDuration(TimeSpan.FromTicks(_rows.Sum(s => s.Duration.Ticks))));
        output.WriteLine();
        output.Write(table);
    }

    internal static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 60 ? $"{duration.TotalSeconds:0.0}s" : $"{(int)duration.TotalMinutes}:{duration.Seconds:00}";
}
