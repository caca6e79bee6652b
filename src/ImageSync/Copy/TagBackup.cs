using ImageSync.References;

namespace ImageSync.Copy;

/// <summary>
/// A moved tag's backup: the digest the tag held before the move, the tag it is kept under, and what was done.
/// <paramref name="Found"/>: for <see cref="BackupState.Taken"/>, the digest the backup tag holds instead.
/// </summary>
public sealed record TagBackup(string Tag, Digest Digest, BackupState State, Digest? Found = null)
{
    public string StateName => State switch
    {
        BackupState.WouldBackUp => "would-back-up",
        BackupState.BackedUp => "backed-up",
        BackupState.AlreadyBackedUp => "already-backed-up",
        _ => "taken",
    };

    /// <summary>One line for the table: what was (or would be) kept, and where.</summary>
    public string Describe() => State switch
    {
        BackupState.WouldBackUp => $"{Digest} would be kept as {Tag} before the tag is moved",
        BackupState.BackedUp => $"{Digest} kept as {Tag} before the tag was moved",
        BackupState.AlreadyBackedUp => $"{Digest} was already kept as {Tag}",
        _ => $"{Tag} holds {Found}, not {Digest}: a backup tag is never overwritten",
    };
}
