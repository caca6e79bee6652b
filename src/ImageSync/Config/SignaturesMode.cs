namespace ImageSync.Config;

/// <summary>
/// What a run does with the artifacts attached to an image's digests (cosign's .sig/.att/.sbom tags, OCI 1.1
/// referrers): the configuration's <c>signatures</c> key.
/// </summary>
public enum SignaturesMode
{
    /// <summary>"copy" (the default): copied with each tag the run writes; an in-sync tag costs no request for them.</summary>
    Copy,

    /// <summary>"follow": also looked for on every in-sync tag, so that what upstream attached later reaches the target.</summary>
    Follow,

    /// <summary>"none": never copied for this image (what --no-signatures does for all).</summary>
    None,
}
