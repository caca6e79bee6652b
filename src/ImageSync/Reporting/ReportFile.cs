using ImageSync.Errors;

namespace ImageSync.Reporting;

/// <summary>
/// Where a report is written, and how, so that the tool writes only what it means to. A regular file (or a name
/// not taken yet) is written next to itself under a name of its own and renamed into place: a reader never sees half
/// a report, and a failure leaves the old one and no temporary file. Anything else is streamed to as it is, never
/// replaced: a device or a pipe (empty by nature), and the links that name our own streams (/dev/stdout, /dev/fd/N,
/// /proc/self/fd/N), appended to so a file the shell redirected stdout into keeps what was printed. Any other link
/// is refused: replacing it, or writing through it to what it names, are both writes nobody asked for.
/// </summary>
public static class ReportFile
{
    private const int MaxLinkHops = 8;

    /// <exception cref="ImageSyncException">One line naming <paramref name="path"/> and what is wrong.</exception>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ImageSyncException($"{path}: is a folder");
        }
        var file = new FileInfo(full);
        if (file.LinkTarget is { } linkTarget)
        {
            if (!NamesOwnStream(file))
            {
                throw new ImageSyncException($"{path}: is a link (to {linkTarget}); give the file itself, or a stream such as /dev/stdout");
            }
            await StreamAsync(path, full, FileMode.Append, write, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (file.Exists && file.Length == 0)
        {
            // A device, a pipe or a socket (their size is 0), or an empty file: nothing in it to keep whole.
            await StreamAsync(path, full, FileMode.Open, write, cancellationToken).ConfigureAwait(false);
            return;
        }
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new ImageSyncException($"{path}: no such folder");
        }
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageSyncException($"{path}: {Reason(e)}", e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task StreamAsync(string path, string full, FileMode mode, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(full, mode, FileAccess.Write, FileShare.ReadWrite);
            await write(stream, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageSyncException($"{path}: {Reason(e)}", e);
        }
    }

    /// <summary>Whether the link, or a link it leads to, is one of the names Linux gives this process's open files.</summary>
    private static bool NamesOwnStream(FileInfo link)
    {
        FileSystemInfo? hop = link;
        for (var i = 0; i < MaxLinkHops && hop is not null; i++)
        {
            if (IsOwnStreamName(hop.FullName))
            {
                return true;
            }
            hop = hop.LinkTarget is null ? null : hop.ResolveLinkTarget(returnFinalTarget: false);
        }
        return false;
    }

    private static bool IsOwnStreamName(string path) =>
        path is "/dev/stdout" or "/dev/stderr"
        || (Path.GetDirectoryName(path) is "/dev/fd" or "/proc/self/fd" or "/proc/thread-self/fd" && int.TryParse(Path.GetFileName(path), out _));

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "no such folder",
        FileNotFoundException => "no such file",
        // .NET appends " : 'path'"; the caller names the path once.
        _ => Output.Untrusted.Line(e.Message.Split(" : '", 2)[0].TrimEnd('.')),
    };
}
