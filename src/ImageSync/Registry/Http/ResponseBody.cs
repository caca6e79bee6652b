namespace ImageSync.Registry.Http;

/// <summary>Reads a response body with a ceiling, so a registry or token server cannot make us hold unbounded bytes.</summary>
internal static class ResponseBody
{
    /// <summary>At most <paramref name="cap"/> bytes; <c>Truncated</c> says whether there was more.</summary>
    public static async Task<(byte[] Bytes, bool Truncated)> ReadAtMostAsync(HttpResponseMessage response, int cap, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var truncated = await CopyAtMostAsync(stream, buffer, cap, cancellationToken).ConfigureAwait(false);
        return (buffer.ToArray(), truncated);
    }

    /// <summary>
    /// The one capped read: copies <paramref name="stream"/> into <paramref name="buffer"/> up to
    /// <paramref name="cap"/> bytes, and says whether there was more (what came stays in the buffer, for the message).
    /// </summary>
    public static async Task<bool> CopyAtMostAsync(Stream stream, MemoryStream buffer, int cap, CancellationToken cancellationToken)
    {
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var room = cap - (int)buffer.Length;
            if (n > room)
            {
                buffer.Write(chunk, 0, room);
                return true;
            }
            buffer.Write(chunk, 0, n);
        }
        return false;
    }

    /// <summary>The whole body, or a <see cref="RegistryException"/> naming <paramref name="what"/> when it exceeds the cap.</summary>
    public static async Task<byte[]> ReadAllAsync(HttpResponseMessage response, int cap, string what, CancellationToken cancellationToken)
    {
        var (bytes, truncated) = await ReadAtMostAsync(response, cap, cancellationToken).ConfigureAwait(false);
        return truncated ? throw new RegistryException($"{what}: larger than {cap} bytes") : bytes;
    }
}
