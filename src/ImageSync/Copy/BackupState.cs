namespace ImageSync.Copy;

/// <summary>What became of a moved tag's backup. The names (<see cref="TagBackup.StateName"/>) are read from the report: keep them.</summary>
public enum BackupState
{
    /// <summary>Status and DryRun: the move would first keep the old digest under the backup tag.</summary>
    WouldBackUp,

    /// <summary>The old digest was written under the backup tag before the tag was moved.</summary>
    BackedUp,

    /// <summary>The backup tag already held the old digest (an earlier run kept it); nothing was written.</summary>
    AlreadyBackedUp,

    /// <summary>The backup tag holds another digest: it is never overwritten, and the tag is not moved.</summary>
    Taken,
}
