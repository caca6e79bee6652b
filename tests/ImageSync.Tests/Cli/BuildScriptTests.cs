using System.Diagnostics;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>
/// The bootstrap's decisions: when build.sh compiles, which kind of build, and what it does when the ahead-of-time
/// build fails. The real build.sh runs in a copy of the layout with a stand-in <c>dotnet</c> first on PATH that logs
/// every call and builds nothing, so each case costs milliseconds instead of a minute of compiling.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuildScriptTests : IDisposable
{
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        echo "$*" >>"$FAKE_LOG"
        case $1 in
            --list-sdks) echo "10.0.401 [/usr/share/dotnet/sdk]" ;;
            publish)
                out=; prev=
                for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
                mkdir -p "$out"
                if [[ " $* " == *" -p:PublishAot=true "* ]]; then
                    if [ "${FAKE_NATIVE:-}" = fail ]; then
                        echo "/nuget/ilcompiler/Microsoft.NETCore.Native.targets(389,5): error MSB3073: the linker exited with code 1"
                        exit 1
                    fi
                    printf '#!/bin/sh\necho "native $*"\n' >"$out/_build"; chmod +x "$out/_build"
                else
                    if [ "${FAKE_MANAGED:-}" = fail ]; then
                        echo "Program.cs(1,1): error CS1002: ; expected"
                        exit 1
                    fi
                    : >"$out/_build.dll"
                fi ;;
            *) shift; echo "managed $*" ;;
        esac
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("imagesync-bootstrap-").FullName;
    private readonly string _log;

    public BuildScriptTests()
    {
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "build.sh"), Path.Combine(_root, "build.sh"));
        Directory.CreateDirectory(Path.Combine(_root, "build"));
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "build", "Program.cs"), "// one\n");
        var bin = Directory.CreateDirectory(Path.Combine(_root, "fake-bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "dotnet"), FakeDotnet.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // A C compiler is "present" whatever the machine has: the stand-in dotnet decides whether the native build works.
        File.WriteAllText(Path.Combine(bin, "gcc"), "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(Path.Combine(bin, "gcc"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _log = Path.Combine(_root, "dotnet-calls.log");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_failed_native_build_falls_back_to_readytorun_once_says_why_and_is_not_retried_for_the_same_sources()
    {
        var first = await RunAsync(("FAKE_NATIVE", "fail"));
        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("imagesync: compiling the tool (first run only;", first.Error, StringComparison.Ordinal);
        Assert.Equal("managed List", first.Out.Trim());
        Assert.Contains("warning: the ahead-of-time build failed, so the tool runs on dotnet", first.Error, StringComparison.Ordinal);
        Assert.Contains("error MSB3073: the linker exited with code 1", first.Error, StringComparison.Ordinal);
        Assert.Equal(["native", "managed"], Publishes());
        Assert.EndsWith(" native-failed", File.ReadAllText(Stamp()).Trim(), StringComparison.Ordinal);

        var again = await RunAsync(("FAKE_NATIVE", "fail"));
        Assert.Equal("managed List", again.Out.Trim());
        Assert.Equal("", again.Error);
        Assert.Equal(["native", "managed"], Publishes());

        // New sources: the native build is tried again, and this time it works.
        File.WriteAllText(Path.Combine(_root, "build", "Program.cs"), "// two\n");
        var fixedBuild = await RunAsync();
        Assert.StartsWith("imagesync: build/ or src/ changed; compiling the tool again", fixedBuild.Error, StringComparison.Ordinal);
        Assert.Equal("native List", fixedBuild.Out.Trim());
        Assert.False(File.Exists(Path.Combine(_root, ".artifacts", "build", "_build.dll")), "the managed build's files were left beside the native tool");
        Assert.Equal(["native", "managed", "native"], Publishes());
    }

    [Fact]
    public async Task Only_changed_contents_cause_a_build_not_new_file_times()
    {
        Assert.Equal("native List", (await RunAsync()).Out.Trim());
        File.SetLastWriteTimeUtc(Path.Combine(_root, "build", "Program.cs"), DateTime.UtcNow.AddMinutes(5));
        Assert.Equal("native List", (await RunAsync()).Out.Trim());
        Assert.Equal(["native"], Publishes());

        File.AppendAllText(Path.Combine(_root, "src", "New.cs"), "// a new file\n");
        await RunAsync();
        Assert.Equal(["native", "native"], Publishes());
    }

    [Fact]
    public async Task Image_sync_aot_0_builds_readytorun_without_trying_the_native_build_and_switching_back_builds_again()
    {
        Assert.Equal("managed List", (await RunAsync(("IMAGE_SYNC_AOT", "0"))).Out.Trim());
        Assert.Equal(["managed"], Publishes());

        Assert.Equal("native List", (await RunAsync()).Out.Trim());
        Assert.Equal(["managed", "native"], Publishes());
    }

    [Fact]
    public async Task Code_that_does_not_compile_is_an_error_with_the_compilers_message_and_nothing_runs()
    {
        var run = await RunAsync(("FAKE_NATIVE", "fail"), ("FAKE_MANAGED", "fail"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("Program.cs(1,1): error CS1002: ; expected", run.Error, StringComparison.Ordinal);
        Assert.EndsWith("error: the build project did not compile\n", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Stamp()));
    }

    private string Stamp() => Path.Combine(_root, ".artifacts", "build", ".built");

    private List<string> Publishes() => File.Exists(_log)
        ? File.ReadAllLines(_log).Where(l => l.StartsWith("publish ", StringComparison.Ordinal)).Select(l => l.Contains("-p:PublishAot=true", StringComparison.Ordinal) ? "native" : "managed").ToList()
        : [];

    private Task<CliRun> RunAsync(params (string Name, string Value)[] env)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(_root, "build.sh"), "List"]) { WorkingDirectory = _root };
        start.Environment["PATH"] = $"{Path.Combine(_root, "fake-bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE_LOG"] = _log;
        start.Environment.Remove("IMAGE_SYNC_AOT");
        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }
        return ChildProcess.RunAsync(start, TimeSpan.FromSeconds(30));
    }
}
