using System.Text.Json;
using ImageSync.Copy;
using ImageSync.Output;

namespace ImageSync.Reporting;

/// <summary>
/// The --report file: <c>{"results":[...],"summary":{...}}</c>. Field and action names are an interface that
/// scripts and CI read; keep them.
/// </summary>
public static class JsonReport
{
    public static async Task WriteAsync(string path, IReadOnlyList<TagResult> results, SyncSummary summary, OutputGuard guard, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        // Written next to the destination and moved into place, so a reader never sees half a report.
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("image", r.Image);
                writer.WriteString("tag", r.Tag);
                writer.WriteString("source", r.Source.ToString());
                writer.WriteString("target", r.Target.ToString());
                writer.WriteString("sourceDigest", r.SourceDigest?.ToString());
                writer.WriteString("targetDigestBefore", r.TargetDigestBefore?.ToString());
                writer.WriteString("targetDigestAfter", r.TargetDigestAfter?.ToString());
                writer.WriteString("action", r.Action.Name());
                writer.WriteNumber("bytes", r.Bytes);
                writer.WriteNumber("durationMs", (long)r.Duration.TotalMilliseconds);
                writer.WriteString("error", guard.CleanOrNull(r.Error));
                if (r.Notes is { Count: > 0 } notes)
                {
                    writer.WriteStartArray("notes");
                    foreach (var note in notes)
                    {
                        writer.WriteStringValue(guard.Clean(note));
                    }
                    writer.WriteEndArray();
                }
                if (r.RetriedAfter is not null)
                {
                    // Tried again at the end of the run: the first attempt's transient error.
                    writer.WriteString("retriedAfter", guard.CleanOrNull(r.RetriedAfter));
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartObject("summary");
            writer.WriteNumber("total", summary.Total);
            foreach (var (action, count) in summary.ByAction)
            {
                writer.WriteNumber(action, count);
            }
            writer.WriteNumber("bytes", summary.Bytes);
            writer.WriteNumber("durationMs", (long)summary.Duration.TotalMilliseconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        File.Move(temporary, path, overwrite: true);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Reads a report back (to merge the reports of a sharded run): its results, in order.</summary>
    /// <exception cref="InvalidDataException">Not a report this tool wrote; the message names the file and what is wrong.</exception>
    public static async Task<IReadOnlyList<TagResult>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var results = new List<TagResult>();
            foreach (var r in json.RootElement.GetProperty("results").EnumerateArray())
            {
                string? Text(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                References.Digest? Digest(string name) => Text(name) is { } d ? References.Digest.Parse(d) : null;
                var actionName = Text("action") ?? throw new InvalidDataException("a result has no action");
                var action = Enum.GetValues<TagAction>().FirstOrDefault(a => a.Name() == actionName, TagAction.Error);
                results.Add(new TagResult(
                    Text("image") ?? "", Text("tag") ?? "",
                    References.Reference.Parse(Text("source")!), References.Reference.Parse(Text("target")!),
                    Digest("sourceDigest"), Digest("targetDigestBefore"), Digest("targetDigestAfter"),
                    action, r.GetProperty("bytes").GetInt64(), TimeSpan.FromMilliseconds(r.GetProperty("durationMs").GetInt64()), Text("error"),
                    RetriedAfter: Text("retriedAfter")));
            }
            return results;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not an imagesync --report file ({e.GetType().Name}: {e.Message.Split('.')[0]})", e);
        }
    }
}
