using ImageSync.Copy;
using ImageSync.Output;
using ImageSync.References;
using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>A moved tag's backup in the --report file, written and read back (Report --merge keeps it).</summary>
public sealed class BackupReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-backup-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(BackupState.WouldBackUp, "would-back-up")]
    [InlineData(BackupState.BackedUp, "backed-up")]
    [InlineData(BackupState.AlreadyBackedUp, "already-backed-up")]
    [InlineData(BackupState.Taken, "taken")]
    public async Task A_backup_is_written_with_its_tag_digest_and_state_and_read_back(BackupState state, string name)
    {
        var old = Digest.Parse("sha256:" + new string('a', 64));
        var backup = new TagBackup("1.0-aaaaaaaaaaaa", old, state, state == BackupState.Taken ? Digest.Parse("sha256:" + new string('b', 64)) : null);
        IReadOnlyList<TagResult> results = [new("a", "1.0", Reference.Parse("docker.io/a/b:1.0"), Reference.Parse("quay.io/a/b:1.0"), null, old, null, TagAction.Copied, 5, TimeSpan.Zero, null, Backup: backup)];
        var path = Path.Combine(_dir, "report.json");
        var run = new RunRecord("1.0.0", null, "SyncAll", "c.json", "sha256:" + new string('c', 64), null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0);

        await JsonReport.WriteAsync(path, run, results, SyncSummary.From(results, TimeSpan.Zero), new OutputGuard(), CancellationToken.None);
        var read = await JsonReport.ReadAsync(path, CancellationToken.None);

        Assert.Contains($"\"state\": \"{name}\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Equal(backup, Assert.Single(read.Results).Backup);
    }
}
