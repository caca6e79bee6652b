using ImageSync.Registry;

namespace ImageSync.Layout;

/// <summary>How a layout's files are read (bounded before a byte is read) and written (whole or not at all).</summary>
internal static class LayoutFiles
{
    /// <summary>Writes a file whole: a temporary file of ours beside it, flushed to the disk, renamed over the old one.</summary>
    public static async Task ReplaceAsync(LayoutPaths paths, string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = paths.Temporary("write");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A file's bytes, refused unread when it is larger than <paramref name="max"/>.</summary>
    public static async Task<byte[]> ReadBoundedAsync(string path, int max, string what, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException(what, path);
        }
        if (info.Length == 0)
        {
            // A pipe or a device shows no bytes and opening it could block: nothing in it to read.
            return [];
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        if (file.Length > max)
        {
            throw new RegistryException($"{what} is larger than {max / 1024 / 1024} MiB");
        }
        var bytes = new byte[file.Length];
        await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }
}
