using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>A repository and what we intend to do there, which decides the token scope asked for.</summary>
public sealed record RepositoryAccess(Reference Name, bool Push)
{
    public static RepositoryAccess Pull(Reference name) => new(name.NameOnly(), false);

    public static RepositoryAccess PullPush(Reference name) => new(name.NameOnly(), true);

    public string Registry => Name.Registry;

    public string Repository => Name.Repository;

    public string Scope => $"repository:{Name.Repository}:{(Push ? "pull,push" : "pull")}";

    public override string ToString() => Name.Name;
}
