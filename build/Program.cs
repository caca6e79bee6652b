using System.Runtime.InteropServices;
using ImageSync.Build;
using ImageSync.Reporting;

// Ctrl-C (SIGINT) and SIGTERM (what a CI runner sends on cancel) take the same path: the run stops at a safe point,
// cancels its open uploads, says what was left undone and exits 130 or 143. A second signal ends the process.
using var cancellation = new CancellationTokenSource();
var exitCode = ExitCodes.Interrupted;
void Stop(PosixSignalContext signal)
{
    if (cancellation.IsCancellationRequested)
    {
        return;
    }
    signal.Cancel = true;
    exitCode = signal.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
    cancellation.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var root = Environment.GetEnvironmentVariable("IMAGE_SYNC_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory();
return await BuildCli.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, Environment.GetEnvironmentVariable, root, () => exitCode, cancellation.Token).ConfigureAwait(false);
