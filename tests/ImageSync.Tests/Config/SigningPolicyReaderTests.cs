using System.Security.Cryptography;
using ImageSync.Config;
using ImageSync.Output;

namespace ImageSync.Tests.Config;

/// <summary>The sign policy as the configuration gives it, its key read from the run's environment, named at its field when unusable, and kept secret.</summary>
public sealed class SigningPolicyReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-sign-config-").FullName;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        _key.Dispose();
    }

    private const string TwoImages = """
        {
          "defaults": { "sign": { "cosign": { "key_env": "MIRROR_KEY" } } },
          "images": [
            { "name": "pilot", "upstream": "docker.io/istio/pilot", "target": "quay.io/x/pilot", "tags": ["1.0"] },
            { "name": "proxy", "upstream": "docker.io/istio/proxyv2", "target": "quay.io/x/proxyv2", "tags": ["1.0"],
              "sign": { "cosign": { "key_env": "OTHER_KEY" } } }
          ]
        }
        """;

    private ConfigLoadResult Load(string json, IReadOnlyDictionary<string, string> environment, SecretSet? secrets = null)
    {
        var path = Path.Combine(_dir, "image-sync-config.json");
        File.WriteAllText(path, json);
        var source = ConfigSource.Json(path) with { Environment = name => environment.GetValueOrDefault(name), Secrets = secrets ?? new SecretSet() };
        return ConfigLoader.Load(source, File.ReadAllBytes(path));
    }

    [Fact]
    public void Defaults_apply_to_every_image_an_image_may_name_its_own_and_the_keys_are_read()
    {
        using var other = RSA.Create(2048);
        var result = Load(TwoImages, new Dictionary<string, string> { ["MIRROR_KEY"] = _key.ExportPkcs8PrivateKeyPem(), ["OTHER_KEY"] = other.ExportRSAPrivateKeyPem() });

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var pilot = result.Config!.FindImage("pilot")!.Sign!;
        Assert.Equal("MIRROR_KEY", pilot.KeyEnv);
        Assert.Equal("ECDSA P-256", pilot.Key!.Kind);
        Assert.Equal("the key in $MIRROR_KEY", pilot.Description);
        Assert.Equal("RSA 2048", result.Config.FindImage("proxy")!.Sign!.Key!.Kind);
    }

    [Fact]
    public void An_unset_variable_is_an_error_at_the_field_that_names_it()
    {
        var result = Load(TwoImages, new Dictionary<string, string> { ["OTHER_KEY"] = _key.ExportECPrivateKeyPem() });

        var error = Assert.Single(result.Errors);
        Assert.Equal("image-sync-config.json:2:50: defaults.sign.cosign.key_env: MIRROR_KEY is not set; it must hold the PEM private key the mirror signs with",
            Path.GetFileName(error.ToString()));
    }

    /// <summary>The variable's text is a secret even when it is no key: the error names the problem, never the text, and the guard removes it.</summary>
    [Fact]
    public void A_variable_that_holds_no_private_key_is_an_error_that_does_not_quote_it_and_its_text_is_a_secret()
    {
        var publicPem = _key.ExportSubjectPublicKeyInfoPem();
        var secrets = new SecretSet();
        var result = Load(TwoImages, new Dictionary<string, string> { ["MIRROR_KEY"] = publicPem, ["OTHER_KEY"] = "hunter2-not-a-pem" }, secrets);

        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.EndsWith("defaults.sign.cosign.key_env: MIRROR_KEY does not hold a usable private key: it holds a public key; signing needs the private key (PEM \"PRIVATE KEY\")", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.EndsWith("images[1].sign.cosign.key_env: OTHER_KEY does not hold a usable private key: it holds no PEM block (expected -----BEGIN PRIVATE KEY-----)", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("hunter2", StringComparison.Ordinal) || e.Contains(publicPem.Split('\n')[1], StringComparison.Ordinal));
        Assert.Equal("token ***", new OutputGuard(secrets).Clean("token hunter2-not-a-pem"));
    }

    /// <summary>Every form the key could be printed in: whole, one line of it (output is cut into lines), its base64 body joined.</summary>
    [Fact]
    public void The_key_joins_the_run_secrets_in_every_form_it_could_be_printed_in()
    {
        var pem = _key.ExportPkcs8PrivateKeyPem();
        var secrets = new SecretSet();

        Assert.True(Load(TwoImages, new Dictionary<string, string> { ["MIRROR_KEY"] = pem, ["OTHER_KEY"] = pem }, secrets).Succeeded);

        var guard = new OutputGuard(secrets);
        var lines = pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.Equal("***", guard.Clean(pem));
        Assert.All(lines, line => Assert.Equal("key: ***", guard.Clean($"key: {line}")));
        Assert.Equal("***", guard.Clean(string.Concat(lines)));
    }

    [Fact]
    public void Without_the_run_environment_the_policy_is_read_and_its_key_is_not()
    {
        var path = Path.Combine(_dir, "image-sync-config.json");
        File.WriteAllText(path, TwoImages);

        var result = ConfigLoader.Load(ConfigSource.Json(path), File.ReadAllBytes(path));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Null(result.Config!.FindImage("pilot")!.Sign!.Key);
    }

    [Theory]
    [InlineData("{ \"cosign\": { \"key_env\": \"-----BEGIN PRIVATE KEY-----\" } }", "images[0].sign.cosign.key_env: is not an environment variable name; name the variable that holds the key, never the key itself")]
    [InlineData("{ \"cosign\": { } }", "images[0].sign.cosign: missing \"key_env\": the environment variable that holds the PEM private key")]
    [InlineData("{ }", "images[0].sign: missing \"cosign\"")]
    [InlineData("{ \"cosign\": { \"key_env\": 5 } }", "images[0].sign.cosign.key_env: expected the name of an environment variable, got")]
    [InlineData("{ \"cosign\": { \"key\": \"k.pem\" } }", "images[0].sign.cosign.key: unknown field \"key\"")]
    public void A_malformed_policy_is_an_error_at_its_field(string sign, string expected)
    {
        var result = Load($$"""
            { "images": [ { "name": "pilot", "upstream": "docker.io/istio/pilot", "target": "quay.io/x/pilot", "tags": ["1.0"], "sign": {{sign}} } ] }
            """, new Dictionary<string, string>());

        Assert.True(result.Errors.Any(e => e.ToString().Contains(expected, StringComparison.Ordinal)), string.Join("\n", result.Diagnostics));
    }
}
