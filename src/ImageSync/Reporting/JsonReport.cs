using System.Text.Json;
using ImageSync.Copy;
using ImageSync.Output;

namespace ImageSync.Reporting;

/// <summary>
/// The --report file: <c>{"run":{...},"results":[...],"summary":{...}}</c>. Field and action names are an interface
/// that scripts and CI read; keep them. Every summary key is written, zeros included.
/// </summary>
public static class JsonReport
{
    public static Task WriteAsync(string path, RunRecord run, IReadOnlyList<TagResult> results, SyncSummary summary, OutputGuard guard, CancellationToken cancellationToken) =>
        ReportFile.WriteAsync(path, async (stream, ct) =>
        {
            await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            WriteRun(writer, run, guard);
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
                if (r.Backup is { } backup)
                {
                    // The old digest of a moved tag and the tag it is kept under (or would be, in Status and DryRun).
                    writer.WriteStartObject("backup");
                    writer.WriteString("tag", backup.Tag);
                    writer.WriteString("digest", backup.Digest.ToString());
                    writer.WriteString("state", backup.StateName);
                    writer.WriteString("found", backup.Found?.ToString());
                    writer.WriteEndObject();
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
            foreach (var action in Enum.GetValues<TagAction>())
            {
                writer.WriteNumber(action.Name(), summary.ByAction.GetValueOrDefault(action.Name()));
            }
            writer.WriteNumber("bytes", summary.Bytes);
            writer.WriteNumber("durationMs", (long)summary.Duration.TotalMilliseconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
            await writer.FlushAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    private static void WriteRun(Utf8JsonWriter writer, RunRecord run, OutputGuard guard)
    {
        writer.WriteStartObject("run");
        writer.WriteString("tool", "imagesync");
        writer.WriteString("version", run.ToolVersion);
        writer.WriteString("commit", run.ToolCommit);
        writer.WriteString("target", run.Target);
        writer.WriteString("config", guard.CleanOrNull(run.ConfigPath));
        writer.WriteString("configDigest", run.ConfigDigest);
        writer.WriteString("shard", run.Shard?.ToString());
        writer.WriteString("startedAt", run.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("endedAt", run.EndedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteNumber("exitCode", run.ExitCode);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a report back (to merge the reports of a sharded run). It is input from outside: tags and references
    /// must fit their grammar, digests parse, and every other string is made one inert line.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a report this tool wrote; the message names the file and what is wrong.</exception>
    public static async Task<ReportContent> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var run = ReadRun(json.RootElement.TryGetProperty("run", out var r) && r.ValueKind == JsonValueKind.Object ? r
                : throw new InvalidDataException($"{path}: has no \"run\" record (shard, configuration digest); it was written by an older imagesync: run that shard again"));
            var results = new List<TagResult>();
            foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
            {
                results.Add(ReadResult(result, path));
            }
            return new ReportContent(path, run, results);
        }
        catch (JsonException e) when (e.LineNumber is { } line)
        {
            // Broken JSON (a truncated upload, say) is told as a person would: where, what was expected, what was found.
            throw new InvalidDataException($"{path}: not an imagesync --report file (at {line + 1}:{(e.BytePositionInLine ?? 0) + 1}: {Untrusted.Line(Config.JsonErrorText.Describe(e.Message))})", e);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not an imagesync --report file ({e.GetType().Name}: {Untrusted.Line(e.Message.Split('.')[0])})", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static RunRecord ReadRun(JsonElement run)
    {
        Config.Shard? shard = null;
        if (Text(run, "shard") is { } text && !Config.Shard.TryParse(text, out shard, out var error))
        {
            throw new FormatException($"run.shard: {error}");
        }
        var digest = Text(run, "configDigest") is { } d ? References.Digest.Parse(d).ToString() : null;
        DateTimeOffset Time(string name) => Text(run, name) is { } t && DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : default;
        return new RunRecord(Untrusted.Line(Text(run, "version"), 40), Untrusted.Line(Text(run, "commit"), 40), Untrusted.Line(Text(run, "target"), 40),
            Text(run, "config") is { } config ? Untrusted.Line(config, 300) : null, digest, shard, Time("startedAt"), Time("endedAt"),
            run.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var c) ? c : 0);
    }

    private static TagBackup ReadBackup(JsonElement backup, string path)
    {
        var tag = Text(backup, "tag") ?? "";
        if (!References.Reference.IsTag(tag, out var tagError))
        {
            throw new InvalidDataException($"{path}: a result's backup tag {tagError}");
        }
        var state = Enum.GetValues<BackupState>().Select(s => new TagBackup(tag, default, s)).FirstOrDefault(s => s.StateName == Text(backup, "state"))?.State
            ?? throw new InvalidDataException($"{path}: a result's backup has no known state");
        return new TagBackup(tag, References.Digest.Parse(Text(backup, "digest")!), state, Text(backup, "found") is { } found ? References.Digest.Parse(found) : null);
    }

    private static TagResult ReadResult(JsonElement r, string path)
    {
        References.Digest? Digest(string name) => Text(r, name) is { } d ? References.Digest.Parse(d) : null;
        var actionName = Text(r, "action") ?? throw new InvalidDataException($"{path}: a result has no action");
        var action = Enum.GetValues<TagAction>().FirstOrDefault(a => a.Name() == actionName, TagAction.Error);
        var tag = Text(r, "tag") ?? "";
        if (!References.Reference.IsTag(tag, out var tagError))
        {
            throw new InvalidDataException($"{path}: a result's tag {tagError}");
        }
        return new TagResult(
            Untrusted.Line(Text(r, "image"), 128), tag,
            References.Reference.ParseLocation(Text(r, "source")!), References.Reference.ParseLocation(Text(r, "target")!),
            Digest("sourceDigest"), Digest("targetDigestBefore"), Digest("targetDigestAfter"),
            action, r.GetProperty("bytes").GetInt64(), TimeSpan.FromMilliseconds(r.GetProperty("durationMs").GetInt64()),
            Text(r, "error") is { } error ? Untrusted.Line(error) : null,
            RetriedAfter: Text(r, "retriedAfter") is { } retried ? Untrusted.Line(retried) : null,
            Backup: r.TryGetProperty("backup", out var b) && b.ValueKind == JsonValueKind.Object ? ReadBackup(b, path) : null);
    }
}
