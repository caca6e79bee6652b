using System.Diagnostics;
using ImageSync.Build;

namespace ImageSync.Tests.Support;

internal sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>
/// Runs the build CLI as ./build.sh would, capturing what it prints. When <c>IMAGE_SYNC_CLI</c> names the folder
/// build.sh published into (test.sh sets it), each run starts the compiled tool as a process, so the tests exercise
/// what users run (compiled ahead of time, trimmed); otherwise the CLI runs in this process, for a quick
/// <c>dotnet test</c> and a debugger.
/// </summary>
internal static class CliRunner
{
    private static readonly string? BuiltTool = Environment.GetEnvironmentVariable("IMAGE_SYNC_CLI") is { Length: > 0 } dir ? dir : null;

    /// <param name="signal">What cancelling <paramref name="cancellationToken"/> stands for: INT (Ctrl-C) or TERM. The
    /// compiled tool is sent that signal; in process, the run is told which it was, as the tool's handler tells it.</param>
    public static Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? root = null, string signal = "INT", CancellationToken cancellationToken = default)
    {
        var env = environment ?? new Dictionary<string, string>();
        var workDir = root ?? Directory.GetCurrentDirectory();
        return BuiltTool is null
            ? InProcessAsync(args, env, workDir, signal, cancellationToken)
            : OutOfProcessAsync(BuiltTool, args, env, workDir, signal, cancellationToken);
    }

    private static async Task<CliRun> InProcessAsync(string[] args, IReadOnlyDictionary<string, string> env, string root, string signal, CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BuildCli.RunAsync(args, output, error, interactive: false, name => env.GetValueOrDefault(name), root,
            () => signal == "TERM" ? ImageSync.Reporting.ExitCodes.Terminated : ImageSync.Reporting.ExitCodes.Interrupted, cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// The child sees what the in-process run's environment lookup sees: only the variables the test gives, plus
    /// PATH and HOME (which the in-process run falls back to), DOTNET_ROOT (for a ReadyToRun build) and the root,
    /// as build.sh passes it.
    /// </summary>
    private static Task<CliRun> OutOfProcessAsync(string builtTool, string[] args, IReadOnlyDictionary<string, string> env, string root, string signal, CancellationToken cancellationToken)
    {
        var managed = Path.Combine(builtTool, "_build.dll");
        var start = File.Exists(managed) ? new ProcessStartInfo("dotnet", [managed, .. args]) : new ProcessStartInfo(Path.Combine(builtTool, "_build"), args);
        start.WorkingDirectory = root;
        start.Environment.Clear();
        foreach (var inherited in new[] { "PATH", "HOME", "DOTNET_ROOT" })
        {
            if (Environment.GetEnvironmentVariable(inherited) is { } value)
            {
                start.Environment[inherited] = value;
            }
        }
        start.Environment["IMAGE_SYNC_ROOT"] = root;
        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }
        return ChildProcess.RunAsync(start, TimeSpan.FromMinutes(5), signal, cancellationToken);
    }
}
