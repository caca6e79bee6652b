using System.Security.Cryptography;
using ImageSync.References;

namespace ImageSync.Layout;

/// <summary>
/// One blob upload into a layout: the bytes go to a temporary file in the layout folder, hashed as they are written;
/// only bytes whose digest is the one the upload names are renamed into <c>blobs/</c>, so a blob file is whole or absent.
/// </summary>
internal sealed class LayoutUpload : IDisposable
{
    private readonly LayoutPaths _paths;
    private readonly string _temporary;
    private readonly FileStream _file;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly SemaphoreSlim _busy = new(1, 1);

    public LayoutUpload(LayoutPaths paths)
    {
        _paths = paths;
        _temporary = paths.Temporary("upload");
        _file = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
    }

    public long Length { get; private set; }

    /// <summary>Appends a PATCH's or PUT's body.</summary>
    public async Task AppendAsync(Stream body, CancellationToken cancellationToken)
    {
        await _busy.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var buffer = new byte[128 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await _file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                _sha256.AppendData(buffer, 0, n);
                Length += n;
            }
        }
        finally
        {
            _busy.Release();
        }
    }

    /// <summary>Moves the bytes to <c>blobs/ALG/HEX</c> when they hash to <paramref name="digest"/>; false (and nothing moved) otherwise.</summary>
    public bool Commit(Digest digest)
    {
        // sha256 only, as the registries this copies between: a sha512 upload is refused, not written unchecked.
        if (digest.Algorithm != "sha256" || Convert.ToHexStringLower(_sha256.GetHashAndReset()) != digest.Hex)
        {
            return false;
        }
        // On the disk before it has a name that index.json could come to rely on.
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        var path = _paths.Blob(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(_temporary, path, overwrite: true);
        return true;
    }

    /// <summary>Closes and removes the temporary file (a committed upload has none left).</summary>
    public void Dispose()
    {
        _file.Dispose();
        _sha256.Dispose();
        _busy.Dispose();
        File.Delete(_temporary);
    }
}
