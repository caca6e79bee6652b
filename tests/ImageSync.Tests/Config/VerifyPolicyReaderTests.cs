using System.Security.Cryptography;
using ImageSync.Config;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Config;

/// <summary>The verify policy as the configuration gives it: files beside the configuration, defaults, and bad files named at their field.</summary>
public sealed class VerifyPolicyReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-verify-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Load(string json)
    {
        var path = Path.Combine(_dir, "image-sync-config.json");
        File.WriteAllText(path, json);
        return ConfigLoader.Load(ConfigSource.Json(path), File.ReadAllBytes(path));
    }

    private void Write(string name, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir, name))!);
        File.WriteAllText(Path.Combine(_dir, name), content);
    }

    [Fact]
    public void Defaults_apply_to_every_image_and_an_image_may_set_its_own()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var sigstore = new SigstoreTestRoot();
        Write("keys/istio.pub", key.ExportSubjectPublicKeyInfoPem());
        Write("sigstore/trusted_root.json", System.Text.Encoding.UTF8.GetString(sigstore.TrustedRootJson()));

        var result = Load("""
            {
              "defaults": { "verify": { "cosign": { "key": "keys/istio.pub", "match_repository": true } } },
              "images": [
                { "name": "pilot", "upstream": "docker.io/istio/pilot", "target": "quay.io/x/pilot", "tags": ["1.0"] },
                { "name": "proxy", "upstream": "docker.io/istio/proxyv2", "target": "quay.io/x/proxyv2", "tags": ["1.0"],
                  "verify": { "cosign": { "identity": "https://github.com/istio/istio/.github/workflows/release.yml@refs/heads/master",
                                          "issuer": "https://token.actions.githubusercontent.com", "trusted_root": "sigstore/trusted_root.json" } } }
              ]
            }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var pilot = result.Config!.FindImage("pilot")!.Verify!;
        Assert.Equal("key keys/istio.pub", pilot.Description);
        Assert.True(pilot.MatchRepository);
        Assert.Equal("ECDSA P-256", pilot.Key!.Kind);
        var proxy = result.Config.FindImage("proxy")!.Verify!;
        Assert.True(proxy.IsKeyless);
        Assert.Equal("https://token.actions.githubusercontent.com", proxy.Issuer);
        Assert.Single(proxy.TrustedRoot!.CertificateAuthorities);
    }

    [Fact]
    public void A_file_that_is_not_a_key_or_not_a_trusted_root_is_an_error_at_its_field()
    {
        Write("keys/istio.pub", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Write("trusted_root.json", """{ "mediaType": "application/json" }""");

        var result = Load("""
            {
              "images": [
                { "name": "pilot", "upstream": "docker.io/istio/pilot", "target": "quay.io/x/pilot", "tags": ["1.0"],
                  "verify": { "cosign": { "key": "keys/istio.pub" } } },
                { "name": "proxy", "upstream": "docker.io/istio/proxyv2", "target": "quay.io/x/proxyv2", "tags": ["1.0"],
                  "verify": { "cosign": { "identity": "i", "issuer": "https://issuer", "trusted_root": "trusted_root.json" } } }
              ]
            }
            """);

        Assert.Equal(
            [
                "images[0].verify.cosign.key: \"keys/istio.pub\": a PEM \"RSA PRIVATE KEY\" block is not a public key (expected \"PUBLIC KEY\")",
                "images[1].verify.cosign.trusted_root: \"trusted_root.json\": mediaType is \"application/json\", not a sigstore trusted root (application/vnd.dev.sigstore.trustedroot+json;version=0.1)",
            ],
            result.Errors.Select(e => $"{e.Field}: {e.Message}"));
        Assert.Equal([(4, 38), (6, 92)], result.Errors.Select(e => (e.Position.Line, e.Position.Column)));
    }

    [Fact]
    public void An_identity_regexp_is_read_and_one_that_cannot_be_run_or_beside_an_identity_is_an_error()
    {
        using var sigstore = new SigstoreTestRoot();
        Write("trusted_root.json", System.Text.Encoding.UTF8.GetString(sigstore.TrustedRootJson()));

        var result = Load("""
            {
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"],
                  "verify": { "cosign": { "identity_regexp": "https://github\\.com/istio/.*", "issuer": "https://i", "trusted_root": "trusted_root.json" } } },
                { "name": "b", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": ["1.0"],
                  "verify": { "cosign": { "identity_regexp": "(a)\\1", "issuer": "https://i", "trusted_root": "trusted_root.json" } } },
                { "name": "c", "upstream": "docker.io/istio/c", "target": "quay.io/x/c", "tags": ["1.0"],
                  "verify": { "cosign": { "identity": "x", "identity_regexp": ".*", "issuer": "https://i", "trusted_root": "trusted_root.json" } } }
              ]
            }
            """);

        var errors = result.Errors.Select(e => $"{e.Field}: {e.Message}").ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("images[1].verify.cosign.identity_regexp: not a usable regular expression: not supported here", errors[0], StringComparison.Ordinal);
        Assert.Equal("images[2].verify.cosign: \"identity\" and \"identity_regexp\" exclude each other: give the identity, or an expression it must match", errors[1]);
        var a = result.Config!.FindImage("a")!.Verify!;
        Assert.Equal(@"an identity matching https://github\.com/istio/.* from https://i", a.Description);
        Assert.True(a.AcceptsIdentity("https://github.com/istio/x"));
        Assert.False(a.AcceptsIdentity("https://github.com/istio"));
    }
}
