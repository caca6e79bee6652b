namespace ImageSync.Registry.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235): a scheme and its parameters. Scheme and keys are
/// lowercased; values keep their case with quotes and escapes removed.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The <c>scope</c> parameter may hold several scopes separated by spaces.</summary>
    public IReadOnlyList<string> Scopes => Parameters.TryGetValue("scope", out var s) ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var result = new List<AuthChallenge>();
        foreach (var value in headerValues)
        {
            result.AddRange(ParseOne(value));
        }
        return result;
    }

    private static List<AuthChallenge> ParseOne(string header)
    {
        var challenges = new List<AuthChallenge>();
        var i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            SkipSeparators(header, ref i);
            if (i >= header.Length)
            {
                break;
            }
            var token = ReadToken(header, ref i);
            if (token.Length == 0)
            {
                // Not a token: malformed from here on; keep what was understood.
                break;
            }
            SkipSpaces(header, ref i);
            if (i < header.Length && header[i] == '=' && scheme is not null)
            {
                i++;
                SkipSpaces(header, ref i);
                var value = i < header.Length && header[i] == '"' ? ReadQuoted(header, ref i) : ReadToken(header, ref i);
                if (value is null)
                {
                    // An unterminated quote makes this challenge unusable.
                    scheme = null;
                    break;
                }
                parameters[token.ToLowerInvariant()] = value;
            }
            else
            {
                // A token not followed by '=' starts a new challenge.
                if (scheme is not null)
                {
                    challenges.Add(new AuthChallenge(scheme, parameters));
                }
                scheme = token.ToLowerInvariant();
                parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                SkipToken68(header, ref i);
            }
        }
        if (scheme is not null)
        {
            challenges.Add(new AuthChallenge(scheme, parameters));
        }
        return challenges;
    }

    /// <summary>A token68 (e.g. base64 after Negotiate) right after the scheme carries nothing we use: skip it.</summary>
    private static void SkipToken68(string s, ref int i)
    {
        var start = i;
        SkipSpaces(s, ref i);
        var token = ReadToken(s, ref i);
        while (i < s.Length && s[i] == '=')
        {
            i++;
        }
        SkipSpaces(s, ref i);
        // A parameter (key=value) follows instead: leave it for the caller.
        if (token.Length == 0 || (i < s.Length && s[i] != ','))
        {
            i = start;
        }
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] is not ('=' or ',' or '"'))
        {
            i++;
        }
        // token68 may end in '=' padding, e.g. "Negotiate abc==".
        return s[start..i];
    }

    private static string? ReadQuoted(string s, ref int i)
    {
        var builder = new System.Text.StringBuilder();
        i++;
        while (i < s.Length)
        {
            var c = s[i++];
            if (c == '\\' && i < s.Length)
            {
                builder.Append(s[i++]);
            }
            else if (c == '"')
            {
                return builder.ToString();
            }
            else
            {
                builder.Append(c);
            }
        }
        return null;
    }
}
