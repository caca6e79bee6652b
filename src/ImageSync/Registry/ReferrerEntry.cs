namespace ImageSync.Registry;

/// <summary>
/// One descriptor of a referrers list (OCI distribution-spec 1.1, "Listing Referrers"): the referrer manifest, its
/// <c>artifactType</c>, and the descriptor's JSON exactly as the list carried it (annotations included), so that a
/// fallback index written on the target lists it as upstream did.
/// </summary>
public sealed record ReferrerEntry(Descriptor Manifest, string? ArtifactType, string Json);
