using ImageSync.Config;
using ImageSync.Output;

namespace ImageSync.Signing;

/// <summary>
/// Reads each <c>sign</c> policy's key from the run's environment once the configuration is parsed, so Validate
/// names an unset variable, or one that holds no usable private key, at the field that names it. The key joins the
/// run's <see cref="SecretSet"/> before anything else happens, in every form it could be printed in: the PEM as
/// given and trimmed, each of its lines (output is cut into lines) and its base64 body on one line.
/// </summary>
internal static class SigningKeys
{
    public static SyncConfig Resolve(SyncConfig config, Func<string, string?> environment, SecretSet secrets, DiagnosticBag diagnostics)
    {
        var keys = new Dictionary<string, SigningKey?>(StringComparer.Ordinal);
        var reported = new HashSet<SourcePosition>();
        var images = config.Images.Select(image =>
        {
            if (image.Sign is not { } sign)
            {
                return image;
            }
            if (!keys.TryGetValue(sign.KeyEnv, out var key))
            {
                var pem = environment(sign.KeyEnv);
                Register(pem, secrets);
                string? error = null;
                if (string.IsNullOrWhiteSpace(pem))
                {
                    error = $"{sign.KeyEnv} is not set; it must hold the PEM private key the mirror signs with";
                }
                else
                {
                    try
                    {
                        key = SigningKey.FromPem(pem);
                    }
                    catch (FormatException e)
                    {
                        error = $"{sign.KeyEnv} does not hold a usable private key: {e.Message}";
                    }
                }
                keys[sign.KeyEnv] = key;
                if (error is not null && reported.Add(sign.At))
                {
                    diagnostics.Error(sign.At, sign.Field, error);
                }
            }
            else if (key is null && reported.Add(sign.At))
            {
                diagnostics.Error(sign.At, sign.Field, $"{sign.KeyEnv} does not hold a usable private key (see above)");
            }
            return key is null ? image : image with { Sign = sign with { Key = key } };
        }).ToList();
        return config with { Images = images };
    }

    private static void Register(string? pem, SecretSet secrets)
    {
        if (string.IsNullOrEmpty(pem))
        {
            return;
        }
        secrets.Add(pem);
        secrets.Add(pem.Trim());
        var lines = pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        foreach (var line in lines)
        {
            secrets.Add(line);
        }
        secrets.Add(string.Concat(lines));
    }
}
