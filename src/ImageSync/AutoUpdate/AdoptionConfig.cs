using System.Buffers;
using System.Text;
using System.Text.Json;
using ImageSync.Config;

namespace ImageSync.AutoUpdate;

/// <summary>
/// Writes what <see cref="VendoredAdoption"/> found into the configuration: the <c>kustomize</c> section and
/// <c>upstream_samples.files</c>, in place (every other byte kept, see <see cref="JsonSplice"/>), or a new
/// configuration holding just those when there is none yet.
/// </summary>
public static class AdoptionConfig
{
    public static byte[] Write(byte[]? existing, AdoptionResult result, UpstreamSampleSource samples)
    {
        var kustomize = Render(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("paths");
            result.Paths.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteStartArray("targets");
            result.Targets.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        void Files(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            foreach (var (path, upstream) in result.Files)
            {
                w.WriteString(path, upstream);
            }
            w.WriteEndObject();
        }
        var upstreamSamples = Render(w =>
        {
            w.WriteStartObject();
            w.WriteString("repository", samples.Repository);
            w.WriteString("ref", samples.Ref);
            w.WritePropertyName("files");
            Files(w);
            w.WriteEndObject();
        });
        if (existing is null)
        {
            return Encoding.UTF8.GetBytes($"{{\n  \"kustomize\": {JsonSplice.Indent(kustomize, "  ")},\n  \"upstream_samples\": {JsonSplice.Indent(upstreamSamples, "  ")}\n}}\n");
        }
        var bytes = JsonSplice.Set(existing, [], "kustomize", kustomize);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.TryGetProperty("upstream_samples", out var section) && section.ValueKind == JsonValueKind.Object
            ? JsonSplice.Set(bytes, ["upstream_samples"], "files", Render(Files))
            : JsonSplice.Set(bytes, [], "upstream_samples", upstreamSamples);
    }

    private static string Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
