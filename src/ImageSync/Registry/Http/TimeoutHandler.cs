using ImageSync.Common;

namespace ImageSync.Registry.Http;

/// <summary>
/// Bounds every wait of one attempt: the response's headers must come within <see cref="Timeouts.Response"/> of the
/// last byte of the request (an upload resets the clock with every write); a blob's body must keep moving
/// (<see cref="Timeouts.Idle"/>, between two reads); every other body is read here, capped, and must be complete
/// within <see cref="Timeouts.Response"/> of its headers, so that a stall or a trickle is an attempt's failure
/// that the retry policy above sees. Blob bodies stay streamed.
/// </summary>
internal sealed class TimeoutHandler(Timeouts timeouts) : DelegatingHandler
{
    /// <summary>The most a non-blob body may hold (the largest manifest we accept).</summary>
    public const int MaxBufferedBody = 8 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var where = $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}";
        HttpResponseMessage response;
        var content = request.Content;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeouts.Response);
            if (content is not null)
            {
                request.Content = new ProgressContent(content, () => deadline.CancelAfter(timeouts.Response), () => deadline.CancelAfter(Timeout.InfiniteTimeSpan));
            }
            try
            {
                response = await base.SendAsync(request, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HttpRequestException(HttpRequestError.Unknown, $"{where}: no answer within {timeouts.Response.TotalSeconds:0.#} s", new TimeoutException(e.Message));
            }
            finally
            {
                // The handlers above may replay the request with its own content.
                request.Content = content;
            }
        }
        if (request.Method == HttpMethod.Head)
        {
            return response;
        }
        if (RegistryRequestOptions.IsStreamed(request) && response.IsSuccessStatusCode)
        {
            // A blob: it may take long while it moves, so only the gap between two reads is bounded.
            var blob = new IdleTimeoutStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), timeouts.Idle, where);
            response.Content = Replace(response.Content, new StreamContent(blob));
            return response;
        }
        // Everything else is small and read whole (manifests, tokens, tag pages, error bodies): the whole body has a
        // deadline, so a body trickled a byte at a time cannot keep the run waiting by resetting an idle timer.
        using var whole = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        whole.CancelAfter(timeouts.Response);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[81920];
            int n;
            while ((n = await body.ReadAsync(chunk, whole.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > MaxBufferedBody)
                {
                    throw new RegistryException($"{where}: the answer is larger than {MaxBufferedBody / 1024 / 1024} MiB");
                }
                buffer.Write(chunk, 0, n);
            }
            response.Content = Replace(response.Content, new ByteArrayContent(buffer.ToArray()));
            return response;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded,
                $"{where}: the body was not complete within {timeouts.Response.TotalSeconds:0.#} s ({buffer.Length} bytes came)", new TimeoutException(e.Message));
        }
        catch (IOException e)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, e.Message, e);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        finally
        {
            await body.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static HttpContent Replace(HttpContent old, HttpContent replacement)
    {
        foreach (var (name, values) in old.Headers)
        {
            replacement.Headers.TryAddWithoutValidation(name, values);
        }
        return replacement;
    }
}
