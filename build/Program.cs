using ImageSync.Build;

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

var root = Environment.GetEnvironmentVariable("IMAGE_SYNC_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory();
return await BuildCli.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, Environment.GetEnvironmentVariable, root, cancellation.Token).ConfigureAwait(false);
