using ImageSync.References;

namespace ImageSync.Upstream;

/// <summary>One <c>image:</c> value found in a file, where it stands, and the reference it names.</summary>
public sealed record ImageOccurrence(string File, int Line, int Column, string Raw, Reference Reference, string WebUrl)
{
    public string Location => $"{File}:{Line}";
}
