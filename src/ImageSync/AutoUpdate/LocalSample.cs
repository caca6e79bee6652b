namespace ImageSync.AutoUpdate;

/// <summary>A text file of the samples folder, read once: its bytes, the length of a UTF-8 byte-order mark, its text.</summary>
public sealed record LocalSample(string Path, byte[] Bytes, int BomLength, string Text);
