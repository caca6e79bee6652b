namespace ImageSync.Build;

/// <summary>
/// A target, as Nuke declares one: its name and description, the parameters it <see cref="Requires"/> (checked
/// before it runs, with the message to print), and what it <see cref="Executes"/>.
/// </summary>
internal sealed record TargetInfo(string Name, string Description)
{
    public IReadOnlyList<(Parameter Parameter, string Message)> Requirements { get; init; } = [];

    public Func<TargetContext, Task<int>> Run { get; init; } = _ => Task.FromResult(ImageSync.Reporting.ExitCodes.Success);

    /// <summary>The target refuses to run, saying <paramref name="message"/>, when <paramref name="parameter"/> has no value.</summary>
    public TargetInfo Requires<T>(Parameter<T> parameter, string message) => this with { Requirements = [.. Requirements, (parameter, message)] };

    public TargetInfo Executes(Func<TargetContext, Task<int>> run) => this with { Run = run };

    /// <summary>The message of the first requirement <paramref name="parameters"/> leaves unmet; null when all are met.</summary>
    public string? Unmet(BuildParameters parameters) =>
        Requirements.Where(r => !parameters.IsSet(r.Parameter)).Select(r => r.Message).FirstOrDefault();
}
