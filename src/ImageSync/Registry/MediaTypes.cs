namespace ImageSync.Registry;

/// <summary>Manifest media types of the OCI image spec and Docker's distribution formats.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string OctetStream = "application/octet-stream";

    /// <summary>
    /// Every type we can copy, in one Accept header. Distribution 2.8 answers 404 for an OCI manifest and rewrites a
    /// Docker one to schema 1 when its type is missing here, so this is sent on every manifest request.
    /// </summary>
    public static readonly string[] AcceptedManifests = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsImageManifest(string mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsSchema1(string mediaType) => mediaType is DockerSchema1 or DockerSchema1Signed;

    /// <summary>Layers that registries must not redistribute (Windows base layers): they stay where their URLs point.</summary>
    public static bool IsNonDistributable(string mediaType) =>
        mediaType.Contains(".foreign.", StringComparison.Ordinal) || mediaType.Contains("nondistributable", StringComparison.Ordinal);
}
