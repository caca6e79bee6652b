namespace ImageSync.Layout;

/// <summary>The distribution API routes a layout answers.</summary>
public enum LayoutRouteKind
{
    Manifest,
    Blob,
    StartUpload,
    Upload,
    Tags,
    Referrers,
}
