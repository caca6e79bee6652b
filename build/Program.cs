using ImageSync.Build;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C asks the copier to stop at a safe point; a second one kills the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

// Piped into a file or a CI log, tables must not wrap at 80 columns or carry escape codes.
var console = Console.IsOutputRedirected
    ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No })
    : AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    console.Profile.Width = 240;
}
var root = Environment.GetEnvironmentVariable("IMAGE_SYNC_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory();
return await BuildCli.RunAsync(args, console, Console.Error, Environment.GetEnvironmentVariable, root, cancellation.Token).ConfigureAwait(false);
