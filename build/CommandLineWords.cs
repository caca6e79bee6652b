namespace ImageSync.Build;

/// <summary>
/// The words of a command line, made ready for System.CommandLine: kyma's short flags and older names read as ours,
/// kyma's <c>--switch=WORD</c> forms, and a value left out said as such, before the parser could take the next flag
/// for it. Notes (an older name used) are collected for the run to print.
/// </summary>
internal static class CommandLineWords
{
    /// <summary>kyma image-syncer's flags (cobra: <c>-i</c>, <c>-t</c>, <c>-d</c>) and its older names, as ours.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["-i"] = ParameterTable.ImagesFile.Flag,
        ["-t"] = ParameterTable.TargetRepoAuthKey.Flag,
        ["-d"] = ParameterTable.DryRun.Flag,
        ["--target-key-file"] = ParameterTable.TargetRepoAuthKey.Flag,
    };

    private static readonly string[] HelpWords = ["--help", "-h", "-?", "--version"];

    /// <exception cref="UsageException">A flag that takes a value was given none, or a switch a word that is not a boolean.</exception>
    public static string[] Normalise(string[] args, ICollection<string> notes)
    {
        var words = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var (flag, value) = Split(args[i]);
            if (Aliases.TryGetValue(flag, out var ours))
            {
                if (flag.StartsWith("--", StringComparison.Ordinal))
                {
                    notes.Add($"note: {flag} is kyma's older name for {ours}; it works, but use {ours}");
                }
                flag = ours;
            }
            var parameter = ParameterTable.All.FirstOrDefault(p => p.Flag == flag);
            if (parameter is Parameter<bool> && value is not null)
            {
                words.Add(ParameterKinds.TryParseBoolean(value, out var on, out var error)
                    ? $"{flag}={(on ? "true" : "false")}"
                    : throw new UsageException($"{flag}: {error}"));
                continue;
            }
            if (parameter is not null and not Parameter<bool> && value is null && (i + 1 == args.Length || IsFlag(args[i + 1])))
            {
                throw new UsageException($"{flag} needs a value{(parameter.ValueName is { } name ? $" ({flag} {name.Trim('"')})" : "")}");
            }
            words.Add(value is null ? flag : $"{flag}={value}");
        }
        return [.. words];
    }

    /// <summary>
    /// The flag a word names, without what follows <c>=</c>: an unknown flag's message shows only this, as the
    /// value may be a secret given to a misspelt flag (<c>--acces-token=...</c>).
    /// </summary>
    public static string FlagOf(string word) => Split(word).Flag;

    private static (string Flag, string? Value) Split(string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        return word.StartsWith('-') && eq > 0 ? (word[..eq], word[(eq + 1)..]) : (word, null);
    }

    private static bool IsFlag(string word)
    {
        var flag = FlagOf(word);
        return flag.StartsWith("--", StringComparison.Ordinal) || Aliases.ContainsKey(flag) || HelpWords.Contains(flag);
    }
}
