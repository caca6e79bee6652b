using ImageSync.Common;
using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using ImageSync.Config;
using ImageSync.Reporting;
using ImageSync.Output;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>What a target gets: its parameters, where to print (both already behind the run's <see cref="OutputGuard"/>), and the token that Ctrl-C cancels.</summary>
internal sealed record TargetContext(BuildParameters Parameters, IAnsiConsole Out, TextWriter Error, OutputGuard Guard, Func<string, string?> Environment, CancellationToken CancellationToken)
{
    /// <summary>Warnings already printed in this run: each is said once, however many targets meet it.</summary>
    public HashSet<string> Warned { get; } = new(StringComparer.Ordinal);
}

internal sealed record TargetInfo(string Name, string Description, Func<TargetContext, Task<int>> Run);

/// <summary>
/// The command line, Nuke-style: PascalCase targets as positional words, parameters from flags or the environment,
/// a summary of the targets that ran, and a non-zero exit code when one failed.
/// </summary>
internal static class BuildCli
{
    /// <param name="interactive">A terminal: progress is drawn live; otherwise plain lines, never wrapped.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, Func<string, string?> environment, string root, CancellationToken cancellationToken)
    {
        // Everything printed passes the guard: secrets the run holds never reach the console or a CI log.
        var guard = new OutputGuard();
        guard.Secrets.Add(environment("GITHUB_TOKEN"));
        guard.Secrets.Add(environment("SYNCER_ACCESS_TOKEN"));
        await using var error = guard.Wrap(stderr);
        await using var guardedOut = guard.Wrap(stdout);
        var output = CreateConsole(guardedOut, interactive);
        try
        {
            return await RunTargetsAsync(args, output, error, guard, environment, root, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await guardedOut.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool interactive)
    {
        // Spectre cannot see a terminal behind the guard's writer, so say what it is.
        var console = AnsiConsole.Create(interactive
            ? new AnsiConsoleSettings { Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Detect, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(writer) }
            : new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer) });
        // Piped into a file or a CI log, nothing is wrapped: a long error stays one line that grep and CI can read.
        console.Profile.Width = interactive && TerminalWidth() is > 0 and var width ? width : 4096;
        return console;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<int> RunTargetsAsync(string[] args, IAnsiConsole output, TextWriter error, OutputGuard guard, Func<string, string?> environment, string root, CancellationToken cancellationToken)
    {
        var targets = Targets.All;
        List<TargetInfo> selected;
        BuildParameters parameters;
        if (args.Contains("--version", StringComparer.Ordinal))
        {
            output.WriteLine(VersionText());
            return ExitCodes.Success;
        }
        try
        {
            if (ParseCommandLine(args, targets, environment, root) is not { } command)
            {
                WriteHelp(output, targets);
                return ExitCodes.Success;
            }
            (selected, parameters, var note) = command;
            if (note is not null)
            {
                await error.WriteLineAsync(note).ConfigureAwait(false);
            }
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("Run './build.sh --help' for targets and parameters.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (selected.Count == 0)
        {
            WriteHelp(output, targets);
            return ExitCodes.Success;
        }

        var context = new TargetContext(parameters, output, error, guard, environment, cancellationToken);
        var summary = new List<(string Target, string Status, TimeSpan Duration)>();
        var exitCode = ExitCodes.Success;
        foreach (var target in selected)
        {
            if (exitCode != ExitCodes.Success)
            {
                summary.Add((target.Name, "Skipped", TimeSpan.Zero));
                continue;
            }
            output.MarkupLine($"[bold]> {target.Name}[/]");
            var clock = Stopwatch.StartNew();
            try
            {
                exitCode = await target.Run(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"{target.Name}: cancelled").ConfigureAwait(false);
                exitCode = ExitCodes.Failure;
            }
            catch (ImageSync.Errors.ImageSyncException e)
            {
                // A failure the user can act on: its message is the whole story.
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                exitCode = ExitCodes.Failure;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Last line of defence: the user's failure as its one line, a defect as a defect (Errors.FailureText).
                foreach (var line in Errors.FailureText.Describe(target.Name, e, parameters.Debug))
                {
                    await error.WriteLineAsync(line).ConfigureAwait(false);
                }
                exitCode = ExitCodes.Failure;
            }
            summary.Add((target.Name, exitCode switch { ExitCodes.Success => "Succeeded", ExitCodes.NotInSync => "Not in sync", _ => "Failed" }, clock.Elapsed));
        }
        WriteSummary(output, summary);
        return exitCode;
    }

    /// <summary>
    /// The targets and parameters a command line asks for (null: --help), and a note to print. Every mistake in it, or in
    /// .nuke/parameters.json or a variable, is a <see cref="UsageException"/>.
    /// </summary>
    private static (List<TargetInfo> Selected, BuildParameters Parameters, string? Note)? ParseCommandLine(string[] args, IReadOnlyList<TargetInfo> targets, Func<string, string?> environment, string root)
    {
        var sources = new ParameterSources(environment, ParametersFile.Load(root, ParameterTable.All));
        var options = ParameterTable.All.ToDictionary(p => p, p => p.CreateOption(sources));
        var help = new Option<bool>("--help", "-h", "-?") { Arity = ArgumentArity.Zero };
        var targetArgument = new Argument<string[]>("targets") { Arity = ArgumentArity.ZeroOrMore };
        var command = new RootCommand();
        command.Options.Clear();
        command.Options.Add(help);
        foreach (var option in options.Values)
        {
            command.Options.Add(option);
        }
        command.Arguments.Add(targetArgument);

        var parsed = command.Parse(ParameterTable.NormaliseSwitches(args));
        if (parsed.GetValue(help))
        {
            return null;
        }
        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(DescribeParseError(parsed.Errors[0].Message, options.Values));
        }
        var selected = SelectTargets(parsed.GetValue(targetArgument) ?? [], targets, options.Values);
        var parameters = BuildParameters.Resolve(parsed, options, sources, root);
        var imagesFile = ParameterTable.ImagesFile.SourceOf(parsed, options[ParameterTable.ImagesFile], sources);
        if (ParameterTable.Config.SourceOf(parsed, options[ParameterTable.Config], sources) is ParameterSource.CommandLine or ParameterSource.Environment
            && imagesFile is not ParameterSource.Default)
        {
            throw new UsageException("--config and --images-file both name a configuration; give one (--images-file for the external-images.yaml format)");
        }
        if (selected.Count == 0 && imagesFile == ParameterSource.CommandLine)
        {
            // kyma's image-syncer has no targets: given its flags alone, do what it does.
            return ([targets.Single(t => t.Name == "SyncAll")], parameters, "note: no target given with --images-file: running SyncAll, as kyma's image-syncer does");
        }
        return (selected, parameters, null);
    }

    private static List<TargetInfo> SelectTargets(string[] words, IReadOnlyList<TargetInfo> targets, IEnumerable<Option> options)
    {
        var selected = new List<TargetInfo>();
        foreach (var word in words)
        {
            if (word.StartsWith('-'))
            {
                throw new UsageException(UnknownParameter(word, options));
            }
            var target = targets.FirstOrDefault(t => string.Equals(t.Name, word, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown target \"{word}\"{Suggestions.DidYouMean(word, targets.Select(t => t.Name))}");
            if (!selected.Contains(target))
            {
                selected.Add(target);
            }
        }
        return selected;
    }

    private static string DescribeParseError(string message, IEnumerable<Option> options)
    {
        // System.CommandLine says "Unrecognized command or argument '--x'."; add the suggestion users expect.
        var quoted = message.Split('\'');
        if (quoted.Length >= 3 && message.StartsWith("Unrecognized", StringComparison.Ordinal))
        {
            var word = quoted[1];
            return UnknownParameter(word, options);
        }
        return message.TrimEnd('.');
    }

    private static string UnknownParameter(string word, IEnumerable<Option> options) =>
        $"unknown parameter \"{word}\"{Suggestions.DidYouMean(word, options.Select(o => o.Name))}";

    private static void WriteHelp(IAnsiConsole output, IReadOnlyList<TargetInfo> targets)
    {
        output.WriteLine("imagesync: keeps a target registry's copies of upstream images in sync.");
        output.WriteLine();
        output.WriteLine("Usage: ./build.sh <Target> [<Target>...] [parameters]");
        output.WriteLine();
        output.WriteLine("Targets:");
        var width = targets.Max(t => t.Name.Length) + 2;
        foreach (var target in targets)
        {
            output.WriteLine($"  {target.Name.PadRight(width)}{target.Description}");
        }
        output.WriteLine();
        output.WriteLine("Parameters (the command line wins, then the environment variable, then .nuke/parameters.json;");
        output.WriteLine("--flag=value works too, and switches take =true or =false):");
        var rows = ParameterTable.All.Select(p => (Left: p.ValueName is null ? p.Flag : $"{p.Flag} <{p.ValueName}>", p)).ToList();
        var left = rows.Max(r => r.Left.Length) + 2;
        foreach (var (text, p) in rows)
        {
            var extra = p.DefaultText is null ? "" : $" (default: {p.DefaultText})";
            var env = p.Env is null ? "" : $" [env: {p.Env}]";
            output.WriteLine($"  {text.PadRight(left)}{p.Description}{extra}{env}");
        }
        output.WriteLine($"  {"--help, -h".PadRight(left)}Show this help");
        output.WriteLine($"  {"--version".PadRight(left)}Show the commit the tool was built from, and how it was built");
        output.WriteLine();
        output.WriteLine("Secrets come from the environment: GITHUB_TOKEN (GitHub API and push), the variables a registry's");
        output.WriteLine("username_env/password_env name, SYNCER_ACCESS_TOKEN (prefer it to --access-token, which shows in the");
        output.WriteLine("process list), and Docker's config.json ($DOCKER_CONFIG or ~/.docker).");
        output.WriteLine("GITHUB_REPOSITORY=OWNER/NAME names the pull request's repository (else it is read from origin).");
        output.WriteLine();
        output.WriteLine("Exit codes: 0 success; 1 error (bad usage, invalid configuration, failed operation);");
        output.WriteLine("            2 done, but not everything is in sync (Status) or a tag conflicts (SyncAll).");
    }

    /// <summary>
    /// The SDK stamps the commit it built from into the informational version ("1.0.0+SHA"); build.sh rebuilds only
    /// when build/ or src/ changed, so that commit can be older than HEAD, and is named as the one built from.
    /// </summary>
    internal static string VersionText()
    {
        var informational = typeof(BuildCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var commit = informational.Split('+') is [_, var sha, ..] && sha.Length >= 12 ? $"built from commit {sha[..12]}" : "built from an unknown commit";
        var how = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported
            ? $"running on .NET {Environment.Version}"
            : "compiled ahead of time";
        return $"imagesync, {commit}, {how}";
    }

    private static void WriteSummary(IAnsiConsole output, List<(string Target, string Status, TimeSpan Duration)> summary)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Target").AddColumn("Status").AddColumn(new TableColumn("Duration").RightAligned());
        foreach (var (target, status, duration) in summary)
        {
            table.AddRow(Markup.Escape(target), status, FormatDuration(duration));
        }
        table.AddRow("Total", "", FormatDuration(TimeSpan.FromTicks(summary.Sum(s => s.Duration.Ticks))));
        output.WriteLine();
        output.Write(table);
    }

    internal static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 60 ? $"{duration.TotalSeconds:0.0}s" : $"{(int)duration.TotalMinutes}:{duration.Seconds:00}";
}
