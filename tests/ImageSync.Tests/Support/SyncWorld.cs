using System.Text;

namespace ImageSync.Tests.Support;

/// <summary>
/// An upstream and a target registry on loopback, named upstream.test and target.test in configs and reached
/// through --registry mappings, as a user would point the tool at mirrors. With a proxy, upstream.test is reached
/// through a <see cref="FaultProxy"/> whose rule the test sets.
/// </summary>
internal sealed class SyncWorld : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-world-").FullName;

    private SyncWorld(RegistryServer upstream, RegistryServer target, FaultProxy? proxy)
    {
        Upstream = upstream;
        Target = target;
        _proxy = proxy;
    }

    private readonly FaultProxy? _proxy;

    /// <summary>The proxy in front of upstream.test (only for a world started with one).</summary>
    public FaultProxy Proxy => _proxy ?? throw new InvalidOperationException("this world was started without a proxy");

    public RegistryServer Upstream { get; }

    public RegistryServer Target { get; }

    public static async Task<SyncWorld> StartAsync(RegistryAuth? targetAuth = null, bool targetTls = false, bool proxyUpstream = false)
    {
        var servers = await Task.WhenAll(RegistryServer.StartAsync(), RegistryServer.StartAsync(targetAuth, targetTls));
        var proxy = proxyUpstream ? await FaultProxy.StartAsync(servers[0].Url) : null;
        return new SyncWorld(servers[0], servers[1], proxy);
    }

    public string[] Mappings => ["--registry", $"upstream.test={_proxy?.Url ?? Upstream.Url}", "--registry", $"target.test={Target.Url}"];

    /// <summary>Writes a config; each image is (name, upstream repo, target repo, tags, extra JSON fields).</summary>
    public string Config(params (string Name, string Upstream, string Target, string[] Tags, string Extra)[] images)
    {
        var json = new StringBuilder("{\n  \"images\": [\n");
        json.AppendJoin(",\n", images.Select(i =>
            $"    {{ \"name\": \"{i.Name}\", \"upstream\": \"upstream.test/{i.Upstream}\", \"target\": \"target.test/{i.Target}\", \"tags\": [{string.Join(", ", i.Tags.Select(t => $"\"{t}\""))}]{(i.Extra.Length > 0 ? ", " + i.Extra : "")} }}"));
        json.Append("\n  ]\n}\n");
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, json.ToString());
        return path;
    }

    public string File(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A fault proxy in front of the target (a hosted registry's personality), and a run that maps target.test to it.</summary>
    public async Task<(FaultProxy Target, Func<string[], Task<CliRun>> Run)> TargetProxyAsync()
    {
        var target = await FaultProxy.StartAsync(Target.Url, forwardHost: true);
        return (target, args => CliRunner.RunAsync([.. args, "--registry", $"upstream.test={_proxy?.Url ?? Upstream.Url}", "--registry", $"target.test={target.Url}"],
            new Dictionary<string, string> { ["HOME"] = _dir }));
    }

    public Task<CliRun> RunAsync(string config, params string[] args) =>
        RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["HOME"] = _dir }, args);

    public Task<CliRun> RunWithEnvironmentAsync(string config, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment);
        env.TryAdd("HOME", _dir);
        return CliRunner.RunAsync([.. args, "--config", config, .. Mappings], env);
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        await Upstream.DisposeAsync();
        await Target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
