namespace ImageSync.Errors;

/// <summary>
/// A failure the user can act on: a bad file, a missing setting, a refusal by a peer. Its message is the one line
/// they are shown (no stack trace), and it names the file and field, or the image and tag, and what to do.
/// Anything else that escapes a target is a defect in imagesync and is reported as one, with its stack under
/// <c>--debug</c>. <see cref="Registry.RegistryException"/> is this type for registry answers.
/// </summary>
public class ImageSyncException : Exception
{
    /// <summary>Room for our words around the outside text they quote (each quote is bounded on its own).</summary>
    public const int MaxMessageLength = 2000;

    /// <remarks>
    /// The message is made one inert line here, once for every failure: registry answers, manifest fields and
    /// file contents quoted in it can never add a line of their own to the output.
    /// </remarks>
    public ImageSyncException(string message, Exception? inner = null)
        : base(Output.Untrusted.Line(message, MaxMessageLength), inner)
    {
    }
}
