using System.Reflection;
using System.Text;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>What <c>--help</c> and <c>--version</c> print.</summary>
internal static class HelpText
{
    /// <summary>Wider lines are hard to read, on a wide terminal or piped into a pager.</summary>
    public const int MaxWidth = 100;

    /// <summary>
    /// Targets and parameters, each entry wrapped to <paramref name="width"/> with a hanging indent (its text starts
    /// in the same column on every line), so an 80-column terminal shows columns, not text that wraps to column 0.
    /// </summary>
    public static void Write(IAnsiConsole output, IReadOnlyList<TargetInfo> targets, int width)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        void Entry(string left, int column, string description) => text.Append(Wrap($"  {left.PadRight(column)}", description, width));

        Line("imagesync: keeps a target registry's copies of upstream images in sync.");
        Line();
        Line("Usage: ./build.sh <Target> [<Target>...] [parameters]");
        Line();
        Line("Targets:");
        var targetColumn = targets.Max(t => t.Name.Length) + 2;
        foreach (var target in targets)
        {
            Entry(target.Name, targetColumn, target.Description);
        }
        Line();
        text.Append(Wrap("", "Parameters (the command line wins, then the environment variable, then .nuke/parameters.json; --flag=value works too, and switches take =true or =false):", width));
        var rows = ParameterTable.All.Select(p => (Left: p.ValueName is null ? p.Flag : $"{p.Flag} <{p.ValueName}>", p)).ToList();
        var column = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, p) in rows)
        {
            var extra = p.DefaultText is null ? "" : $" (default: {p.DefaultText})";
            var env = p.Env is null ? "" : $" [env:\u00a0{p.Env}]";
            Entry(left, column, $"{p.Description}{extra}{env}");
        }
        Entry("--help, -h", column, "Show this help");
        Entry("--version", column, "Show the commit the tool was built from, and how it was built");
        Line();
        text.Append(Wrap("", "Secrets come from the environment: GITHUB_TOKEN (GitHub API and push), the variables a registry's username_env/password_env name, SYNCER_ACCESS_TOKEN (prefer it to --access-token, which shows in the process list), and Docker's config.json ($DOCKER_CONFIG or ~/.docker).", width));
        text.Append(Wrap("", "GITHUB_REPOSITORY=OWNER/NAME names the pull request's repository (else it is read from origin).", width));
        Line();
        text.Append(Wrap("", "Exit codes: 0 success; 1 error (bad usage, invalid configuration, failed operation); 2 done, but not everything is in sync (Status) or a tag conflicts (SyncAll); 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).", width, hang: 12));
        // A no-break space keeps "[env: NAME]" on one line; it is printed as a plain space.
        output.Write(new Text(text.ToString().Replace('\u00a0', ' ')));
    }

    /// <summary>
    /// <paramref name="prefix"/> then <paramref name="text"/>, broken at spaces so that no line is wider than
    /// <paramref name="width"/>; lines after the first start under the text's first word (or <paramref name="hang"/>
    /// columns in, with no prefix). A word wider than the room is left whole. Ends with a newline.
    /// </summary>
    public static string Wrap(string prefix, string text, int width, int hang = 0)
    {
        var indent = new string(' ', prefix.Length > 0 ? prefix.Length : hang);
        var result = new StringBuilder();
        var line = new StringBuilder(prefix);
        var start = prefix.Length;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > start && line.Length + 1 + word.Length > width)
            {
                result.Append(line).Append('\n');
                line.Clear().Append(indent);
                start = indent.Length;
            }
            if (line.Length > start)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        return result.Append(line).Append('\n').ToString();
    }

    /// <summary>
    /// The SDK stamps the commit it built from into the informational version ("1.0.0+SHA"); build.sh rebuilds only
    /// when build/ or src/ changed, so that commit can be older than HEAD, and is named as the one built from.
    /// </summary>
    public static string Version()
    {
        var informational = typeof(HelpText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var commit = informational.Split('+') is [_, var sha, ..] && sha.Length >= 12 ? $"built from commit {sha[..12]}" : "built from an unknown commit";
        var how = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported
            ? $"running on .NET {Environment.Version}"
            : "compiled ahead of time";
        return $"imagesync, {commit}, {how}";
    }
}
