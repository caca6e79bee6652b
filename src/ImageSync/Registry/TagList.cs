namespace ImageSync.Registry;

/// <summary>Every tag of one repository as one listing of a run returned it, in the registry's order.</summary>
public sealed class TagList
{
    private readonly HashSet<string> _set;

    public TagList(IReadOnlyList<string> tags)
    {
        Tags = tags;
        _set = new HashSet<string>(tags, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Tags { get; }

    public bool Contains(string tag) => _set.Contains(tag);
}
