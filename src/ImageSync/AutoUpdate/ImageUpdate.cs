using ImageSync.Config;
using ImageSync.References;
using ImageSync.Upstream;

namespace ImageSync.AutoUpdate;

/// <summary>
/// What upstream says about one configured image: the repository it now uses (moved when it differs from the
/// configured upstream), the tag it pins, the file and line that say so, and which configured tag that replaces.
/// </summary>
public sealed record ImageUpdate(
    ImageSpec Image,
    Reference? UpstreamNow,
    string? OldTag,
    string? NewTag,
    ImageOccurrence? Evidence,
    IReadOnlyList<string> Notes)
{
    public bool Moved => UpstreamNow is not null && UpstreamNow.Name != Image.Upstream.Name;

    /// <summary>The config gains or changes a tag.</summary>
    public bool ChangesTag => NewTag is not null && OldTag != NewTag && !Image.Tags.Any(t => t.Target == NewTag);
}
