using System.Globalization;

namespace ImageSync.Build;

/// <summary>The kinds of parameter <see cref="ParameterTable"/> declares (text, number, switch, list) and how each reads its words.</summary>
internal static class ParameterKinds
{
    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    public delegate bool Check(string text, out string error);

    private static bool Single(IReadOnlyList<string> words, out string text, out string error)
    {
        text = words.Count == 1 ? words[0] : "";
        error = words.Count == 1 ? "" : "takes one value";
        return words.Count == 1;
    }

    public static Parameter<string> Text(string name, string env, string description, string valueName, string fallback, Check? check = null) =>
        new(name, env, description, valueName, fallback, (IReadOnlyList<string> words, out string value, out string error) =>
            Single(words, out value, out error) && (check is null || check(value, out error)), "string");

    public static Parameter<string?> Optional(string name, string env, string description, string valueName, Check? check = null) =>
        new(name, env, description, valueName, null, (IReadOnlyList<string> words, out string? value, out string error) =>
        {
            var ok = Single(words, out var text, out error) && (check is null || check(text, out error));
            value = ok ? text : null;
            return ok;
        }, "string");

    public static Parameter<string[]> List(string name, string env, string description, string valueName) =>
        new(name, env, description, valueName, [], (IReadOnlyList<string> words, out string[] value, out string error) =>
        {
            value = [.. words];
            error = "";
            return true;
        }, "array", isList: true);

    public static Parameter<int> Number(string name, string env, string description, int fallback, int min, int max, string valueName = "N") =>
        new(name, env, description, valueName, fallback, (IReadOnlyList<string> words, out int value, out string error) =>
        {
            value = 0;
            if (Single(words, out var text, out error) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            {
                return true;
            }
            error = $"\"{(words.Count == 1 ? words[0] : string.Join(" ", words))}\" is not a whole number from {min} to {max}";
            return false;
        }, "integer");

    public static Parameter<bool> Switch(string name, string env, string description) =>
        new(name, env, description, null, false, (IReadOnlyList<string> words, out bool value, out string error) =>
            TryParseBoolean(words.Count == 1 ? words[0] : string.Join(" ", words), out value, out error), "boolean", isSwitch: true);

    /// <summary>true/false, 1/0, yes/no, on/off, as kyma's flags and the SYNCER_* variables take them.</summary>
    public static bool TryParseBoolean(string text, out bool value, out string error)
    {
        var word = text.Trim().ToLowerInvariant();
        value = TrueWords.Contains(word);
        error = $"\"{text}\" is not a boolean (use {string.Join(", ", TrueWords.Zip(FalseWords, (t, f) => $"{t} or {f}"))})";
        return value || FalseWords.Contains(word);
    }

    public static bool ParseMax(IReadOnlyList<string> words, out int? value, out string error)
    {
        value = null;
        if (Single(words, out var text, out error) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            value = n;
            return true;
        }
        error = $"\"{string.Join(" ", words)}\" is not a whole number greater than 0";
        return false;
    }

    public static bool ParseShard(IReadOnlyList<string> words, out ImageSync.Config.Shard? value, out string error)
    {
        value = null;
        return Single(words, out var text, out error) && ImageSync.Config.Shard.TryParse(text, out value, out error);
    }

    public static bool ParseUrl(IReadOnlyList<string> words, out Uri value, out string error)
    {
        value = null!;
        if (Single(words, out var text, out error) && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            value = uri;
            return true;
        }
        error = $"\"{string.Join(" ", words)}\" is not an http(s) URL";
        return false;
    }

    public static bool IsAuthor(string text, out string error)
    {
        var ok = ImageSync.Git.GitAuthor.TryParse(text, out _);
        error = ok ? "" : $"\"{text}\" is not \"Name <email>\"";
        return ok;
    }
}
