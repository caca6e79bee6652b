namespace ImageSync.Reporting;

/// <summary>
/// In GitHub Actions, values a later job or step reads as <c>steps.ID.outputs.NAME</c>: <c>NAME=VALUE</c> lines
/// appended to the file <c>$GITHUB_OUTPUT</c> names. Only names and one-line values this tool makes are written, so
/// nothing read from outside can add an output of its own.
/// </summary>
public static class StepOutputs
{
    public static async Task AppendAsync(string path, IReadOnlyList<(string Name, string Value)> outputs, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in outputs)
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || value.Any(char.IsControl))
            {
                throw new ArgumentException($"not a step output: {name}", nameof(outputs));
            }
        }
        await File.AppendAllTextAsync(path, string.Concat(outputs.Select(o => $"{o.Name}={o.Value}\n")), cancellationToken).ConfigureAwait(false);
    }
}
