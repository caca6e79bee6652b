namespace ImageSync.Copy;

/// <summary>Status reads tags; DryRun also reads everything a copy would read; Sync writes.</summary>
public enum SyncMode
{
    Status,
    DryRun,
    Sync,
}
