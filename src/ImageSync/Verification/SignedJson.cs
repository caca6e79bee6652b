using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// Reads the JSON documents signatures come in (payloads, bundles, trusted roots), bounded, with duplicate keys
/// refused: two readers must never disagree about which of two "docker-manifest-digest" values was signed.
/// </summary>
internal static class SignedJson
{
    /// <summary>Far above any real payload, bundle or trusted root (tens of KiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        if (utf8.Length > MaxBytes)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"{what} is {utf8.Length} bytes, more than the {MaxBytes} a signature document may be");
        }
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"{what} is not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
        }
    }

    public static string? String(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    public static JsonElement? Element(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element;
    }

    public static byte[] Base64(string? text, string what)
    {
        try
        {
            return Convert.FromBase64String(text ?? throw new FormatException());
        }
        catch (FormatException)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"{what} is missing or not base64");
        }
    }

    /// <summary>protobuf-JSON writes 64-bit integers as strings; older bundles as numbers.</summary>
    public static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;
}
