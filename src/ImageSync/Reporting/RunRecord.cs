using System.Reflection;
using System.Security.Cryptography;

namespace ImageSync.Reporting;

/// <summary>
/// What a report says about the run that wrote it: the tool and its commit, the target, the configuration and the
/// digest of its bytes, the shard, when it started and ended, and its exit code. A merge reads the shard and the
/// digest to tell that it holds every shard of one configuration.
/// </summary>
public sealed record RunRecord(
    string ToolVersion,
    string? ToolCommit,
    string Target,
    string? ConfigPath,
    string? ConfigDigest,
    Config.Shard? Shard,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    int ExitCode)
{
    /// <summary>This build's version and the commit it was built from (the SDK stamps "1.0.0+SHA").</summary>
    public static (string Version, string? Commit) Tool()
    {
        var informational = typeof(RunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return informational.Split('+') is [var version, var commit, ..] ? (version, commit) : (informational, null);
    }

    /// <summary>sha256 of the configuration's bytes as they are now, or null when it cannot be read.</summary>
    public static string? DigestOf(string? configPath)
    {
        try
        {
            return string.IsNullOrEmpty(configPath) ? null : References.Digest.Sha256(File.ReadAllBytes(configPath)).ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A record for a run that is ending now.</summary>
    public static RunRecord Ending(string target, string? configPath, Config.Shard? shard, DateTimeOffset startedAt, int exitCode)
    {
        var (version, commit) = Tool();
        return new RunRecord(version, commit, target, configPath, DigestOf(configPath), shard, startedAt, DateTimeOffset.UtcNow, exitCode);
    }
}
