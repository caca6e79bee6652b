using System.CommandLine;
using System.Diagnostics;
using ImageSync.Common;
using ImageSync.Output;
using ImageSync.Reporting;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>
/// The command line, Nuke-style: PascalCase targets as positional words, parameters from flags or the environment,
/// a summary of the targets that ran, and a non-zero exit code when one failed.
/// </summary>
internal static class BuildCli
{
    /// <summary>A run that <paramref name="cancellationToken"/> interrupts as Ctrl-C does (exit code 130).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, Func<string, string?> environment, string root, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, interactive, environment, root, () => ExitCodes.Interrupted, cancellationToken);

    /// <param name="interactive">A terminal: progress is drawn live; otherwise plain lines, never wrapped.</param>
    /// <param name="interruptedExitCode">When <paramref name="cancellationToken"/> is cancelled, the exit code that says by what signal.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, Func<string, string?> environment, string root, Func<int> interruptedExitCode, CancellationToken cancellationToken)
    {
        // Everything printed passes the guard: secrets the run holds never reach the console or a CI log. The secret
        // parameters' variables join before anything can be printed; their values from elsewhere, once parsed.
        var guard = new OutputGuard();
        foreach (var parameter in ParameterTable.All.Where(p => p.Secret && p.Env is not null))
        {
            guard.Secrets.Add(environment(parameter.Env!));
        }
        await using var error = guard.Wrap(stderr);
        await using var guardedOut = guard.Wrap(stdout);
        var output = CreateConsole(guardedOut, interactive);
        try
        {
            var run = new Run(output, error, guard, environment, root, interruptedExitCode, cancellationToken);
            return await RunTargetsAsync(args, run).ConfigureAwait(false);
        }
        finally
        {
            await guardedOut.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed record Run(IAnsiConsole Output, TextWriter Error, OutputGuard Guard, Func<string, string?> Environment, string Root, Func<int> InterruptedExitCode, CancellationToken CancellationToken);

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

    private static async Task<int> RunTargetsAsync(string[] args, Run run)
    {
        var (output, error) = (run.Output, run.Error);
        var targets = Targets.All;
        List<TargetInfo> selected;
        BuildParameters parameters;
        if (args.Contains("--version", StringComparer.Ordinal))
        {
            output.WriteLine(HelpText.Version());
            return ExitCodes.Success;
        }
        try
        {
            var notes = new List<string>();
            if (ParseCommandLine(args, targets, run, notes) is not { } command)
            {
                HelpText.Write(output, targets, Math.Min(output.Profile.Width - 1, HelpText.MaxWidth));
                return ExitCodes.Success;
            }
            (selected, parameters) = command;
            foreach (var note in notes)
            {
                await error.WriteLineAsync(note).ConfigureAwait(false);
            }
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            Annotate(run, null, e.Message);
            await error.WriteLineAsync("Run './build.sh --help' for targets and parameters.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var context = new TargetContext(parameters, output, error, run.Guard, run.Environment, run.CancellationToken);
        var summary = new RunSummary();
        var exitCode = ExitCodes.Success;
        foreach (var target in selected)
        {
            if (exitCode != ExitCodes.Success)
            {
                summary.Skipped(target.Name);
                continue;
            }
            output.MarkupLine($"[bold]> {target.Name}[/]");
            var clock = Stopwatch.StartNew();
            exitCode = await RunTargetAsync(target, context, run).ConfigureAwait(false);
            summary.Ran(target.Name, exitCode, clock);
        }
        summary.Write(output);
        // However a target ended, an interrupted run says so in its exit code.
        return run.CancellationToken.IsCancellationRequested ? run.InterruptedExitCode() : exitCode;
    }

    private static async Task<int> RunTargetAsync(TargetInfo target, TargetContext context, Run run)
    {
        if (target.Unmet(context.Parameters) is { } requirement)
        {
            await run.Error.WriteLineAsync($"error: {requirement}").ConfigureAwait(false);
            Annotate(run, target.Name, requirement);
            return ExitCodes.Failure;
        }
        try
        {
            var exitCode = await target.Run(context).ConfigureAwait(false);
            if (exitCode == ExitCodes.Failure)
            {
                // Its own lines said why; the annotation points the job's summary page at them.
                Annotate(run, target.Name, $"{target.Name} failed (see its log)");
            }
            return exitCode;
        }
        catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
        {
            await run.Error.WriteLineAsync($"{target.Name}: cancelled").ConfigureAwait(false);
            return run.InterruptedExitCode();
        }
        catch (ImageSync.Errors.ImageSyncException e)
        {
            // A failure the user can act on: its message is the whole story.
            await run.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            Annotate(run, target.Name, e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Last line of defence: the user's failure as its one line, a defect as a defect (Errors.FailureText).
            var lines = ImageSync.Errors.FailureText.Describe(target.Name, e, context.Get(ParameterTable.Debug));
            foreach (var line in lines)
            {
                await run.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
            Annotate(run, target.Name, lines[0]);
            return ExitCodes.Failure;
        }
    }

    /// <summary>In GitHub Actions, a failure is also an annotation (on stdout, where the runner reads workflow commands).</summary>
    private static void Annotate(Run run, string? title, string message)
    {
        if (ActionsAnnotation.Enabled(run.Environment))
        {
            run.Output.WriteLine(ActionsAnnotation.Error(title, message));
        }
    }

    /// <summary>
    /// The targets and parameters a command line asks for (null: help), and notes to print. Every mistake in it, or
    /// in .nuke/parameters.json or a variable, is a <see cref="UsageException"/>; so are parameters with no target,
    /// which would otherwise do nothing and exit 0 (a green CI job that copied nothing).
    /// </summary>
    private static (List<TargetInfo> Selected, BuildParameters Parameters)? ParseCommandLine(string[] args, IReadOnlyList<TargetInfo> targets, Run run, List<string> notes)
    {
        var kymaByEnvironment = run.Environment(ParameterTable.ImagesFile.Env!) is { Length: > 0 };
        if (args.Length == 0 && !kymaByEnvironment)
        {
            return null;
        }
        var sources = new ParameterSources(run.Environment, ParametersFile.Load(run.Root, ParameterTable.All));
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

        var parsed = command.Parse(CommandLineWords.Normalise(args, notes));
        foreach (var (parameter, option) in options.Where(o => o.Key.Secret))
        {
            foreach (var token in parsed.GetResult(option)?.Tokens ?? [])
            {
                run.Guard.Secrets.Add(token.Value);
            }
        }
        if (parsed.GetValue(help))
        {
            return null;
        }
        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(DescribeParseError(parsed.Errors[0].Message, options.Values));
        }
        var selected = SelectTargets(parsed.GetValue(targetArgument) ?? [], targets, options.Values);
        var parameters = BuildParameters.Resolve(parsed, options, sources, run.Root);
        foreach (var secret in parameters.Secrets)
        {
            run.Guard.Secrets.Add(secret);
        }
        var imagesFile = ParameterTable.ImagesFile.SourceOf(parsed, options[ParameterTable.ImagesFile], sources);
        if (ParameterTable.Config.SourceOf(parsed, options[ParameterTable.Config], sources) is ParameterSource.CommandLine or ParameterSource.Environment
            && imagesFile is not ParameterSource.Default)
        {
            throw new UsageException("--config and --images-file both name a configuration; give one (--images-file for the external-images.yaml format)");
        }
        if (selected.Count == 0 && imagesFile is ParameterSource.CommandLine or ParameterSource.Environment)
        {
            // kyma's image-syncer has no targets: given its flags or its SYNCER_* variables alone, do what it does.
            notes.Add($"note: no target given with {(imagesFile == ParameterSource.CommandLine ? "--images-file" : ParameterTable.ImagesFile.Env)}: running SyncAll, as kyma's image-syncer does");
            return ([targets.Single(t => t.Name == "SyncAll")], parameters);
        }
        if (selected.Count == 0)
        {
            throw new UsageException($"no target given, so nothing would be done; name one of: {string.Join(", ", targets.Select(t => t.Name))}");
        }
        return (selected, parameters);
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
            return UnknownParameter(quoted[1], options);
        }
        return message.TrimEnd('.');
    }

    /// <summary>Names the flag only: what follows <c>=</c> may be a secret given to a misspelt flag.</summary>
    private static string UnknownParameter(string word, IEnumerable<Option> options)
    {
        var flag = CommandLineWords.FlagOf(word);
        return $"unknown parameter \"{flag}\"{Suggestions.DidYouMean(flag, options.Select(o => o.Name))}";
    }
}
