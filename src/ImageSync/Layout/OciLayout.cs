using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Layout;

/// <summary>
/// One OCI image layout folder, one repository (image-spec image-layout.md). Read: a tag is one read of index.json, a
/// blob a file. Written so that a run killed at any point leaves index.json naming only complete content: blobs and
/// manifests are renamed into <c>blobs/</c> after their digest checked out, a manifest is taken only when everything it
/// names is there, and index.json is replaced whole (a file of our own, flushed, renamed over it), one tag at a time.
/// </summary>
public sealed class OciLayout(string written, bool writable) : IDisposable
{
    public const string LayoutVersion = "1.0.0";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, LayoutUpload> _uploads = new(StringComparer.Ordinal);
    private volatile bool _created;
    private volatile bool _versionChecked;

    public LayoutPaths Paths { get; } = new(written);

    /// <summary>As the configuration names it: ocidir://PATH.</summary>
    public string Name { get; } = LayoutReference.Scheme + written;

    /// <summary>A target of this run; an upstream layout is only read.</summary>
    public bool Writable { get; } = writable;

    /// <summary>index.json's entries; none when the layout has no index.json yet (a target not written before).</summary>
    public async Task<IReadOnlyList<LayoutEntry>> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var bytes = await ReadIndexBytesAsync(cancellationToken).ConfigureAwait(false);
        return bytes is null ? [] : Parsed(bytes);
    }

    private IReadOnlyList<LayoutEntry> Parsed(byte[] bytes)
    {
        try
        {
            return LayoutIndex.Parse(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new RegistryException($"{Name}: {e.Message}");
        }
    }

    private async Task<byte[]?> ReadIndexBytesAsync(CancellationToken cancellationToken)
    {
        if (!_versionChecked)
        {
            if (!File.Exists(Paths.Index))
            {
                return null;
            }
            await CheckVersionAsync(required: true, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await ReadBoundedAsync(Paths.Index, LayoutIndex.MaxBytes, "index.json", cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>oci-layout, once a run: a layout of another version is refused, read or written.</summary>
    private async Task CheckVersionAsync(bool required, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(Paths.OciLayout, 64 * 1024, "oci-layout", cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException) when (!required)
        {
            return;
        }
        catch (FileNotFoundException)
        {
            throw new RegistryException($"{Name}: no oci-layout file beside index.json, so this is no OCI image layout");
        }
        string? version = null;
        try
        {
            using var json = JsonDocument.Parse(bytes);
            version = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("imageLayoutVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException)
        {
        }
        if (version != LayoutVersion)
        {
            throw new RegistryException($"{Name}: oci-layout says imageLayoutVersion {(version is null ? "nothing readable" : Output.Untrusted.Line(version, 40))}; imagesync reads and writes {LayoutVersion}");
        }
        _versionChecked = true;
    }

    /// <summary>A manifest by tag (index.json) or by digest (its blob); null when the layout has none.</summary>
    public async Task<Descriptor?> FindManifestAsync(string reference, CancellationToken cancellationToken)
    {
        if (Digest.TryParse(reference, out var digest, out _))
        {
            return File.Exists(Paths.Blob(digest)) ? (await ReadManifestAsync(digest, null, cancellationToken).ConfigureAwait(false)).ToDescriptor() : null;
        }
        return (await ReadIndexAsync(cancellationToken).ConfigureAwait(false)).LastOrDefault(e => e.Tag == reference)?.Descriptor;
    }

    /// <summary>A manifest's bytes from its blob, checked against its digest (a layout carried across an air gap is outside input).</summary>
    public async Task<ManifestDocument> ReadManifestAsync(Digest digest, string? mediaType, CancellationToken cancellationToken)
    {
        var raw = await ReadBoundedAsync(Paths.Blob(digest), Registry.Http.TimeoutHandler.MaxBufferedBody, $"manifest {digest}", cancellationToken).ConfigureAwait(false);
        ManifestDocument manifest;
        try
        {
            manifest = ManifestDocument.Parse(raw, mediaType);
        }
        catch (InvalidDataException e)
        {
            throw new RegistryException($"{Name}@{digest}: {e.Message}");
        }
        if (manifest.Digest != digest)
        {
            throw new DigestMismatchException($"{Name}: blobs/{digest.Algorithm}/{digest.Hex}", digest, manifest.Digest.ToString());
        }
        return manifest;
    }

    public bool HasBlob(Digest digest) => File.Exists(Paths.Blob(digest));

    public FileStream OpenBlob(Digest digest) =>
        new(Paths.Blob(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    // ---- writing ------------------------------------------------------------------------------------------------

    public async Task<string> StartUploadAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N");
        _uploads[id] = new LayoutUpload(Paths);
        return id;
    }

    internal LayoutUpload? Upload(string id) => _uploads.GetValueOrDefault(id);

    /// <summary>Ends an upload, committed or not: its temporary file goes.</summary>
    public bool EndUpload(string id)
    {
        if (!_uploads.TryRemove(id, out var upload))
        {
            return false;
        }
        upload.Dispose();
        return true;
    }

    /// <summary>
    /// Takes a manifest as its exact bytes, as a registry does: refused when anything it names is not in the layout
    /// (distribution's MANIFEST_BLOB_UNKNOWN; foreign layers left at their URLs are not asked for), stored as a blob,
    /// and, for a tag, named in index.json, one writer at a time.
    /// </summary>
    public async Task<Digest> PutManifestAsync(byte[] raw, string? contentType, string reference, CancellationToken cancellationToken)
    {
        ManifestDocument manifest;
        try
        {
            manifest = ManifestDocument.Parse(raw, contentType);
        }
        catch (InvalidDataException e)
        {
            throw new LayoutRefusalException(HttpStatusCode.BadRequest, "MANIFEST_INVALID", e.Message);
        }
        var isDigest = Digest.TryParse(reference, out var named, out _);
        if (isDigest && named != manifest.Digest)
        {
            throw new LayoutRefusalException(HttpStatusCode.BadRequest, "DIGEST_INVALID", $"the manifest's digest is {manifest.Digest}, not {named}");
        }
        if (!isDigest && !Reference.IsValidTag(reference))
        {
            throw new LayoutRefusalException(HttpStatusCode.BadRequest, "TAG_INVALID", "not a tag");
        }
        var missing = manifest.Blobs.Where(b => !b.IsNonDistributable).Concat(manifest.Children).FirstOrDefault(d => !HasBlob(d.Digest));
        if (missing is not null)
        {
            throw new LayoutRefusalException(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN", $"{missing.Digest} is not in the layout");
        }
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        if (!HasBlob(manifest.Digest))
        {
            var blob = Paths.Blob(manifest.Digest);
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            await ReplaceAsync(blob, raw, cancellationToken).ConfigureAwait(false);
        }
        if (!isDigest)
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = await ReadIndexBytesAsync(cancellationToken).ConfigureAwait(false);
                if (current is not null)
                {
                    Parsed(current);
                }
                await ReplaceAsync(Paths.Index, LayoutIndex.WithTag(current, manifest.ToDescriptor(), reference), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        return manifest.Digest;
    }

    /// <summary>
    /// Makes the folder a layout before the first write: an empty or missing folder gets <c>blobs/</c> and
    /// <c>oci-layout</c>; a folder that holds other files and no oci-layout is refused (imagesync writes only what it
    /// means to), as are <c>blobs/</c> folders that are links (they would send the blobs elsewhere).
    /// </summary>
    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }
        if (!Writable)
        {
            throw new LayoutRefusalException(HttpStatusCode.Forbidden, "DENIED", $"{Name} is an upstream of this run; imagesync writes only to targets");
        }
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_created)
            {
                return;
            }
            if (File.Exists(Paths.Root))
            {
                throw new RegistryException($"{Name}: is a file, not a folder");
            }
            var hasLayoutFile = File.Exists(Paths.OciLayout);
            if (hasLayoutFile)
            {
                await CheckVersionAsync(required: true, cancellationToken).ConfigureAwait(false);
            }
            else if (Directory.Exists(Paths.Root) && Directory.EnumerateFileSystemEntries(Paths.Root).Any(e => !Path.GetFileName(e).StartsWith(".imagesync-", StringComparison.Ordinal)))
            {
                throw new RegistryException($"{Name}: the folder holds files and no oci-layout; imagesync writes a layout only into an empty folder or an OCI layout");
            }
            foreach (var folder in new[] { Paths.Blobs, Path.Combine(Paths.Blobs, "sha256") })
            {
                if (new DirectoryInfo(folder) is { Exists: true, LinkTarget: not null } || new FileInfo(folder) is { Exists: true })
                {
                    throw new RegistryException($"{Name}: {Path.GetRelativePath(Paths.Root, folder)} is a link or a file; imagesync writes blobs only into a folder of the layout's own");
                }
                Directory.CreateDirectory(folder);
            }
            if (!hasLayoutFile)
            {
                await ReplaceAsync(Paths.OciLayout, Encoding.UTF8.GetBytes($"{{\"imageLayoutVersion\":\"{LayoutVersion}\"}}"), cancellationToken).ConfigureAwait(false);
            }
            _created = true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Task ReplaceAsync(string path, byte[] content, CancellationToken cancellationToken) => LayoutFiles.ReplaceAsync(Paths, path, content, cancellationToken);

    private Task<byte[]> ReadBoundedAsync(string path, int max, string what, CancellationToken cancellationToken) => LayoutFiles.ReadBoundedAsync(path, max, $"{Name}: {what}", cancellationToken);

    public void Dispose()
    {
        foreach (var id in _uploads.Keys)
        {
            EndUpload(id);
        }
        _writeLock.Dispose();
    }
}
