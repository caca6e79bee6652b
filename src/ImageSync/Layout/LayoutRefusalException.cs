using System.Net;

namespace ImageSync.Layout;

/// <summary>What a registry would refuse, refused by a layout: the handler answers it as the distribution API's error (status, code, message).</summary>
public sealed class LayoutRefusalException(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;
}
