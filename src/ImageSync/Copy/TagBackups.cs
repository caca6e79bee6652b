using ImageSync.Config;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Copy;

/// <summary>
/// Keeps a mutable tag's old digest under the image's backup tag (<see cref="ImageSpec.Backup"/>) before the run
/// moves the tag, so a bad upstream push can be rolled back from the mirror (issue 20 §3, as regsync's backups). The
/// old manifest is already in the target: its bytes are read there by digest and PUT under the backup tag, no blob
/// moves. A backup tag that exists is never overwritten: holding the old digest it is kept as it is, holding another
/// the move is refused, since it would lose the only copy of the old digest's name. Only a move costs requests; a tag
/// in sync never gets here.
/// </summary>
/// <param name="started">The run's start: every tag of a run gets the same {date} and {time}.</param>
internal sealed class TagBackups(RegistryClient client, DateTimeOffset started)
{
    /// <summary>The backup a move of <paramref name="tag"/> away from <paramref name="old"/> would keep; null when the image keeps none.</summary>
    /// <exception cref="Errors.ImageSyncException">The template gives no valid tag here (tags chosen at run time are not checked by Validate).</exception>
    public TagBackup? Plan(ImageSpec image, string tag, Digest? old)
    {
        if (image.Backup is not { } template || old is not { } digest)
        {
            return null;
        }
        var name = template.Render(tag, digest, started);
        if (!Reference.IsValidTag(name) || ArtifactTags.IsArtifactTag(name) || name == tag)
        {
            throw new Errors.ImageSyncException($"{image.Name}: backup \"{template.Text}\" gives \"{Output.Untrusted.Line(name, 140)}\" for tag {tag}, which cannot be a backup tag; the tag was not moved");
        }
        return new TagBackup(name, digest, BackupState.WouldBackUp);
    }

    /// <summary>Before the PUT that moves the tag: the backup written (or, in a dry run, looked up); null when the image keeps none.</summary>
    public async Task<TagBackup?> KeepAsync(ImageSpec image, RepositoryAccess target, string tag, Digest? old, bool dryRun, CancellationToken cancellationToken)
    {
        if (Plan(image, tag, old) is not { } backup)
        {
            return null;
        }
        if (await client.HeadManifestAsync(target, backup.Tag, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.Digest == backup.Digest ? backup with { State = BackupState.AlreadyBackedUp } : backup with { State = BackupState.Taken, Found = existing.Digest };
        }
        if (dryRun)
        {
            return backup;
        }
        var manifest = await client.GetManifestAsync(target, backup.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        await client.PutManifestAsync(target, backup.Tag, manifest, cancellationToken).ConfigureAwait(false);
        return backup with { State = BackupState.BackedUp };
    }
}
