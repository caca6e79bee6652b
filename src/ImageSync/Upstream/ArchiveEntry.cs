using System.Formats.Tar;

namespace ImageSync.Upstream;

/// <summary>One entry of a tar archive as its headers describe it: the name (PAX or GNU long name applied), the kind, and how many data bytes follow.</summary>
public sealed record ArchiveEntry(string Name, TarEntryType Type, long Size)
{
    public bool IsRegularFile => Type is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
}
