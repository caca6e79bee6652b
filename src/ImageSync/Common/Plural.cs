namespace ImageSync.Common;

/// <summary>Counts said the way people say them: "1 tag", "2 tags", "0 images".</summary>
public static class Plural
{
    public static string Of(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
