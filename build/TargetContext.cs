using ImageSync.Output;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>What a target gets: its parameters, where to print (both already behind the run's <see cref="OutputGuard"/>), and the token that Ctrl-C cancels.</summary>
internal sealed record TargetContext(BuildParameters Parameters, IAnsiConsole Out, TextWriter Error, OutputGuard Guard, Func<string, string?> Environment, CancellationToken CancellationToken)
{
    /// <summary>Warnings already printed in this run: each is said once, however many targets meet it.</summary>
    public HashSet<string> Warned { get; } = new(StringComparer.Ordinal);

    /// <summary>The value of <paramref name="parameter"/> in this run.</summary>
    public T Get<T>(Parameter<T> parameter) => Parameters.Get(parameter);
}
