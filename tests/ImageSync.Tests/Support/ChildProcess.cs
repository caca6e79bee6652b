using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ImageSync.Tests.Support;

/// <summary>Runs a program the tests start (the built tool, build.sh, sync-images.sh) to its end and captures what it prints.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Standard input is closed and both outputs are read as UTF-8. Cancelling is what a user's Ctrl-C does: SIGINT
    /// (or <paramref name="signal"/>: TERM is what a CI runner sends on cancel), then the program's own orderly stop.
    /// Past <paramref name="bound"/> the process tree is killed and the run fails.
    /// </summary>
    public static async Task<CliRun> RunAsync(ProcessStartInfo start, TimeSpan bound, string signal = "INT", CancellationToken cancellationToken = default)
    {
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = start.StandardErrorEncoding = Encoding.UTF8;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (cancellationToken.Register(() => Interrupt(process.Id, signal)))
        {
            using var timeout = new CancellationTokenSource(bound);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {bound.TotalSeconds:0} s");
            }
        }
        return new CliRun(process.ExitCode, await output, await error);
    }

    private static void Interrupt(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit();
    }
}
