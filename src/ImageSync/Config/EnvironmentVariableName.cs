using System.Text.RegularExpressions;

namespace ImageSync.Config;

/// <summary>What a configuration may name as an environment variable (<c>*_env</c> fields): POSIX's portable names.</summary>
internal static partial class EnvironmentVariableName
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name);
}
