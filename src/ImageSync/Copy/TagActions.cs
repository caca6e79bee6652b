namespace ImageSync.Copy;

public static class TagActions
{
    public static string Name(this TagAction action) => action switch
    {
        TagAction.InSync => "in-sync",
        TagAction.Copied => "copied",
        TagAction.WouldCopy => "would-copy",
        TagAction.Missing => "missing",
        TagAction.Outdated => "outdated",
        TagAction.Conflict => "conflict",
        TagAction.UpstreamMissing => "upstream-missing",
        TagAction.Unverified => "unverified",
        _ => "error",
    };
}
