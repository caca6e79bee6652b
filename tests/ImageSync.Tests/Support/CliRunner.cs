using ImageSync.Build;

namespace ImageSync.Tests.Support;

/// <summary>Runs the build CLI in process, as ./build.sh would, capturing what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    public static async Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? root = null, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        var code = await BuildCli.RunAsync(args, output, error, interactive: false, name => env.GetValueOrDefault(name), root ?? Directory.GetCurrentDirectory(), cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
