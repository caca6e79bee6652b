using System.Text.RegularExpressions;

namespace ImageSync.Upstream;

/// <summary>
/// What a GitHub repository slug and a git ref name may be. Both go into API paths that carry GITHUB_TOKEN, so
/// anything else (<c>..</c>, <c>?</c>, <c>%2F</c>, white space) is refused before a request is made. One place for
/// the config's upstream_samples, --upstream-repo, --upstream-ref and --branch.
/// </summary>
public static partial class GitHubNames
{
    // GitHub: owners are letters, digits and single hyphens; repository names also take '.' and '_'.
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex SlugPattern();

    public static bool IsRepository(string text, out string error)
    {
        var name = text.Split('/').LastOrDefault();
        if (SlugPattern().IsMatch(text) && name is not ("." or ".."))
        {
            error = "";
            return true;
        }
        error = $"\"{Output.Untrusted.Line(text, 100)}\" is not a GitHub repository OWNER/NAME";
        return false;
    }

    /// <summary>git check-ref-format's rules for a branch, tag or commit name, and nothing that could leave an API path.</summary>
    public static bool IsRefName(string text, out string error)
    {
        string? problem = text switch
        {
            "" => "is empty",
            _ when text.Length > 255 => "is longer than 255 characters",
            _ when text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\' or '%' or '#') => "holds a character a git ref cannot have",
            _ when text.StartsWith('/') || text.EndsWith('/') || text.Contains("//", StringComparison.Ordinal) => "has an empty path component",
            _ when text.StartsWith('-') => "starts with \"-\"",
            _ when text.Contains("..", StringComparison.Ordinal) || text.Contains("@{", StringComparison.Ordinal) || text == "@" => "holds \"..\" or \"@{\"",
            _ when text.EndsWith('.') || text.EndsWith(".lock", StringComparison.Ordinal) || text.Split('/').Any(p => p.StartsWith('.')) => "has a component that starts or ends with \".\" or ends with \".lock\"",
            _ => null,
        };
        error = problem is null ? "" : $"\"{Output.Untrusted.Line(text, 100)}\" is not a git ref name: it {problem}";
        return problem is null;
    }
}
