namespace ImageSync.Kustomize;

/// <summary>
/// One <c>images:</c> entry applied to one image value, as kustomize v5's imageTagUpdater does: when the name matches
/// (<see cref="ImageNameMatcher"/>), the value is split (<see cref="ImageParts"/>), <c>newName</c> replaces the name;
/// <c>newTag</c> with <c>digest</c> sets both; <c>newTag</c> alone sets the tag and drops a digest; <c>digest</c>
/// alone sets the digest and drops the tag; otherwise <c>tagSuffix</c> is appended to the tag.
/// </summary>
public static class ImageTagUpdater
{
    /// <summary>The new value; null when the entry does not match (the value stays as it is).</summary>
    public static string? Apply(string value, ImageTransform entry)
    {
        if (!ImageNameMatcher.IsImageMatched(value, entry.Name))
        {
            return null;
        }
        var parts = ImageParts.Split(value);
        var name = entry.NewName.Length > 0 ? entry.NewName : parts.Name;
        var (tag, digest) = (entry.NewTag.Length > 0, entry.Digest.Length > 0) switch
        {
            (true, true) => (entry.NewTag, entry.Digest),
            (true, false) => (entry.NewTag, ""),
            (false, true) => ("", entry.Digest),
            _ => (entry.TagSuffix.Length > 0 ? parts.Tag + entry.TagSuffix : parts.Tag, parts.Digest),
        };
        return new ImageParts(name, tag, digest).ToString();
    }
}
