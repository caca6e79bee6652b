namespace ImageSync.Copy;

/// <summary>How a tag is named in progress lines and messages: <c>image:tag</c>, with the tag once.</summary>
public static class TagLabel
{
    /// <summary>kyma's images are named by their source, tag included (<c>busybox:1.31.1</c>): that name is not repeated as <c>busybox:1.31.1:1.31.1</c>.</summary>
    public static string Of(string image, string tag) => image.EndsWith(":" + tag, StringComparison.Ordinal) ? image : $"{image}:{tag}";

    /// <summary>The image's name for a table that has a tag column: without the tag its name carries.</summary>
    public static string ImageOf(string image, string tag) => image.EndsWith(":" + tag, StringComparison.Ordinal) ? image[..^(tag.Length + 1)] : image;
}
