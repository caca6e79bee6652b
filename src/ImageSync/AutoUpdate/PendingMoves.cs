using ImageSync.Config;

namespace ImageSync.AutoUpdate;

/// <summary>
/// AutoSync's rule for upstream moves: a move is only proposed (in the pull request), so until it is merged each
/// moved image is still copied from the upstream it had. <see cref="Notes"/> says so for each.
/// </summary>
public sealed record PendingMoves(SyncConfig Config, IReadOnlyList<string> Notes)
{
    /// <summary><paramref name="after"/> (the configuration AutoUpdate wrote), with every image whose upstream it changed copied from its upstream in <paramref name="before"/>.</summary>
    public static PendingMoves Apply(SyncConfig before, SyncConfig after)
    {
        var notes = new List<string>();
        var images = after.Images.Select(image =>
        {
            if (before.FindImage(image.Name) is { } was && was.Upstream.Name != image.Upstream.Name)
            {
                notes.Add($"{image.Name}: the move to {image.Upstream.Name} waits for its pull request; copied from {was.Upstream.Name} until then");
                return image with { Upstream = was.Upstream };
            }
            return image;
        }).ToList();
        return new PendingMoves(after with { Images = images }, notes);
    }
}
