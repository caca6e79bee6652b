namespace ImageSync.Git;

/// <summary>Who commits: from --git-author, else the user's git config (the repository's, ~/.gitconfig, XDG, /etc), else the Actions bot.</summary>
public sealed record GitAuthor(string Name, string Email)
{
    public static readonly GitAuthor ActionsBot = new("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com");

    /// <summary>Parses <c>Name &lt;email&gt;</c>.</summary>
    public static bool TryParse(string text, out GitAuthor? author)
    {
        author = null;
        var open = text.LastIndexOf('<');
        if (open <= 0 || !text.EndsWith('>') || text[(open + 1)..^1].Trim() is not { Length: > 0 } email || !email.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }
        author = new GitAuthor(text[..open].Trim(), email);
        return author.Name.Length > 0;
    }
}
