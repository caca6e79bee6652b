using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ImageSync.Tests.Support;

/// <summary>How a test registry authenticates.</summary>
internal abstract record RegistryAuth
{
    public sealed record Htpasswd(string User, string Password) : RegistryAuth;

    public sealed record Token(string Realm, string Service, string Issuer, string RootCertificatePath) : RegistryAuth;
}

/// <summary>
/// A real Debian docker-registry (distribution 2.8) on 127.0.0.1 with its own port, folder and access log, started
/// and stopped by the test that needs it.
/// </summary>
internal sealed partial class RegistryServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private RegistryServer(Process process, string directory, int port, string logPath, bool tls)
    {
        _process = process;
        Directory = directory;
        Port = port;
        _logPath = logPath;
        Tls = tls;
    }

    public bool Tls { get; }

    public string Directory { get; }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public Uri Url => new($"{(Tls ? "https" : "http")}://127.0.0.1:{Port}/");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="tls">Serve https with a self-signed certificate for 127.0.0.1 (which Go's server offers HTTP/2 on).</param>
    public static async Task<RegistryServer> StartAsync(RegistryAuth? auth = null, bool tls = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("imagesync-registry-").FullName;
        var port = FreePort();
        var tlsYaml = tls ? await WriteCertificateAsync(directory) : "";
        var authYaml = "";
        switch (auth)
        {
            case RegistryAuth.Htpasswd h:
                var htpasswd = Path.Combine(directory, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, await RunAsync("htpasswd", "-Bbn", h.User, h.Password));
                authYaml = $"auth:\n  htpasswd:\n    realm: test-realm\n    path: {htpasswd}\n";
                break;
            case RegistryAuth.Token t:
                authYaml = $"auth:\n  token:\n    realm: {t.Realm}\n    service: {t.Service}\n    issuer: {t.Issuer}\n    rootcertbundle: {t.RootCertificatePath}\n";
                break;
        }
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
              formatter: text
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {directory}/data
              cache:
                blobdescriptor: inmemory
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: false
            # Foreign (Windows) layers live at their URLs: 2.8 refuses a manifest naming them unless the URLs are allowed.
            validation:
              manifests:
                urls:
                  allow:
                    - ^https://
            http:
              addr: 127.0.0.1:{port}
              secret: test-secret-{port}
            {tlsYaml}
            {authYaml}
            """);
        var logPath = Path.Combine(directory, "registry.log");
        var start = new ProcessStartInfo("docker-registry", ["serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new RegistryServer(process, directory, port, logPath, tls);
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(server.Url, "v2/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    await server.WaitForLogQuietAsync();
                    server._baseline = server.AccessLog().Count;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException($"docker-registry did not come up on {server.Host}: {await File.ReadAllTextAsync(logPath)}");
    }

    private int _baseline;

    private static async Task<string> WriteCertificateAsync(string directory)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "tls.crt");
        var keyPath = Path.Combine(directory, "tls.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        // Indented to sit under http: in the config.
        return $"  tls:\n    certificate: {certificatePath}\n    key: {keyPath}";
    }

    [GeneratedRegex("\"(GET|HEAD|POST|PUT|PATCH|DELETE) ([^ ]+) HTTP/[0-9.]+\" ([0-9]{3})")]
    private static partial Regex AccessLine();

    /// <summary>Access-log requests (method, path, status) since the server started or the last <see cref="ResetLog"/>.</summary>
    public IReadOnlyList<(string Method, string Path, int Status)> Requests()
    {
        var all = AccessLog();
        return [.. all.Skip(_baseline)];
    }

    public async Task<IReadOnlyList<(string Method, string Path, int Status)>> RequestsAsync()
    {
        await WaitForLogQuietAsync();
        return Requests();
    }

    /// <summary>The HTTP versions the access log shows since the last reset, e.g. "HTTP/2.0".</summary>
    public async Task<IReadOnlySet<string>> ProtocolsAsync()
    {
        await WaitForLogQuietAsync();
        string text;
        using (var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }
        return ProtocolPattern().Matches(text).Skip(_baseline).Select(m => m.Groups[1].Value).ToHashSet();
    }

    [GeneratedRegex("\"(?:GET|HEAD|POST|PUT|PATCH|DELETE) [^ ]+ (HTTP/[0-9.]+)\" [0-9]{3}")]
    private static partial Regex ProtocolPattern();

    public async Task ResetLogAsync()
    {
        await WaitForLogQuietAsync();
        _baseline = AccessLog().Count;
    }

    private List<(string, string, int)> AccessLog()
    {
        string text;
        using (var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }
        return [.. AccessLine().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>The registry writes an access line after the response; wait until the log stops growing.</summary>
    private async Task WaitForLogQuietAsync()
    {
        var last = -1L;
        for (var i = 0; i < 20; i++)
        {
            var length = new FileInfo(_logPath).Length;
            if (length == last)
            {
                return;
            }
            last = length;
            await Task.Delay(150);
        }
    }

    internal static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(" ", args)} failed ({process.ExitCode}): {await error}");
        }
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
