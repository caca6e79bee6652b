namespace ImageSync.Upstream;

/// <summary>
/// Which entry names of a GitHub archive are read: GitHub puts every file under one folder, OWNER-NAME-SHA/, and git
/// stores no empty, <c>.</c> or <c>..</c> path component, so an entry named otherwise (absolute, with such a
/// component, or under a second top folder) is not in the repository at all. The first entry sets the top folder.
/// </summary>
public sealed class ArchiveTopFolder
{
    private string? _top;

    /// <summary>The entry's path in the repository ("" for the top folder itself), or why the name is not one GitHub writes.</summary>
    public bool TryRelative(string name, out string path, out string problem)
    {
        path = "";
        var trimmed = name.EndsWith('/') ? name[..^1] : name;
        var parts = trimmed.Split('/');
        problem = name switch
        {
            "" => "it is empty",
            _ when name.StartsWith('/') => "it is absolute",
            _ when parts.Any(p => p.Length == 0) => "it has an empty path component",
            _ when parts.Any(p => p is "." or "..") => "it has a \".\" or \"..\" component",
            _ when _top is not null && parts[0] != _top => $"it lies outside the archive's top folder {_top}/",
            _ when _top is null && parts.Length == 1 && !name.EndsWith('/') => "it is a file outside any top folder",
            _ => "",
        };
        if (problem.Length > 0)
        {
            return false;
        }
        _top ??= parts[0];
        path = string.Join('/', parts.Skip(1));
        return true;
    }
}
