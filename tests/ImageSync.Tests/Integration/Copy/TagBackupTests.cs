using System.Text.Json;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>
/// Backups of overwritten tags (issue 20 §3) against the real registry: a moved tag's old digest is kept under the
/// backup tag (skopeo reads it back), the report lists it, a second run adds none, Status and DryRun write nothing,
/// and an existing backup tag is never overwritten.
/// </summary>
public sealed class TagBackupTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<string[]> TargetTagsAsync(string repository)
    {
        using var http = new HttpClient { BaseAddress = _world.Target.Url };
        using var json = JsonDocument.Parse(await http.GetStringAsync($"v2/{repository}/tags/list"));
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)];
    }

    private static readonly string[] Writes = ["POST", "PUT", "PATCH", "DELETE"];

    [Fact]
    public async Task A_moved_tag_s_old_digest_is_kept_under_its_backup_tag_once_and_status_and_dry_run_write_nothing()
    {
        var first = TestImage.Create("backup-first");
        await first.PushAsync(_world.Upstream, "istio/app", "1.0");
        var config = _world.Config(("app", "istio/app", "mirror/app", ["1.0"], "\"backup\": \"{tag}-{digest12}\""));
        var backupTag = $"1.0-{first.Root.Digest["sha256:".Length..][..12]}";
        var cold = await _world.RunAsync(config, "SyncAll");
        Assert.True(cold.ExitCode == 0, cold.Out + cold.Error);
        Assert.DoesNotContain("backup app", cold.Out, StringComparison.Ordinal);

        var moved = TestImage.Create("backup-moved");
        await moved.PushAsync(_world.Upstream, "istio/app", "1.0");
        await _world.Target.ResetLogAsync();
        var status = await _world.RunAsync(config, "Status");
        var dryRun = await _world.RunAsync(config, "DryRun");
        var readOnly = await _world.Target.RequestsAsync();
        var report = _world.File("report.json", "");
        var sync = await _world.RunAsync(config, "SyncAll", "--report", report);
        var backupWrites = (await _world.Target.RequestsAsync()).Where(r => Writes.Contains(r.Method) && r.Path.Contains(backupTag, StringComparison.Ordinal)).ToList();
        var again = await _world.RunAsync(config, "SyncAll");

        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Contains($"backup app:1.0: {first.Root.Digest} would be kept as {backupTag} before the tag is moved", status.Out, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 0, dryRun.Out + dryRun.Error);
        Assert.Contains($"backup app:1.0: {first.Root.Digest} would be kept as {backupTag} before the tag is moved", dryRun.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(readOnly, r => Writes.Contains(r.Method));

        Assert.True(sync.ExitCode == 0, sync.Out + sync.Error);
        Assert.Contains($"backup app:1.0: {first.Root.Digest} kept as {backupTag} before the tag was moved", sync.Out, StringComparison.Ordinal);
        Assert.Equal(moved.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:1.0"));
        Assert.Equal(first.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/app:{backupTag}"));
        // One manifest PUT within the target: the old manifest's bytes, by their digest, under the backup tag.
        Assert.Equal([("PUT", $"/v2/mirror/app/manifests/{backupTag}", 201)], backupWrites);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var backup = json.RootElement.GetProperty("results")[0].GetProperty("backup");
            Assert.Equal(backupTag, backup.GetProperty("tag").GetString());
            Assert.Equal(first.Root.Digest, backup.GetProperty("digest").GetString());
            Assert.Equal("backed-up", backup.GetProperty("state").GetString());
        }

        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.DoesNotContain("backup app", again.Out, StringComparison.Ordinal);
        Assert.Equal(["1.0", backupTag], await TargetTagsAsync("mirror/app"));
    }

    [Fact]
    public async Task An_existing_backup_tag_with_another_digest_is_never_overwritten_and_the_tag_is_not_moved()
    {
        var first = TestImage.Create("taken-first", ["linux/amd64"], index: false);
        await first.PushAsync(_world.Upstream, "istio/taken", "latest");
        // The defaults keep a backup per day; an image of its own turns them off.
        var config = _world.File("taken.json", $$"""
            { "defaults": { "backup": "{tag}-{date}" },
              "images": [ { "name": "taken", "upstream": "upstream.test/istio/taken", "target": "target.test/mirror/taken", "tags": ["latest"] },
                          { "name": "off", "upstream": "upstream.test/istio/taken", "target": "target.test/mirror/off", "tags": ["latest"], "backup": false } ] }
            """);
        var list = await _world.RunAsync(config, "List");
        Assert.Matches(@"taken\s+│.*│\s+mutable, backup \{tag\}-\{date\}\s+│", list.Out);
        Assert.Matches(@"off\s+│.*│\s+mutable\s+│", list.Out);
        Assert.Equal(0, (await _world.RunAsync(config, "SyncAll")).ExitCode);
        // Today's backup tag is already taken by another image (today as the run will see it, whenever midnight falls).
        var other = TestImage.Create("taken-other", ["linux/amd64"], index: false);
        var days = Enumerable.Range(-1, 3).Select(d => $"latest-{DateTime.UtcNow.AddDays(d):yyyyMMdd}").ToList();
        foreach (var day in days)
        {
            await other.PushAsync(_world.Target, "mirror/taken", day);
        }
        var second = TestImage.Create("taken-second", ["linux/amd64"], index: false);
        await second.PushAsync(_world.Upstream, "istio/taken", "latest");
        var refused = await _world.RunAsync(config, "SyncAll");

        Assert.Equal(2, refused.ExitCode);
        Assert.Matches($@"conflict taken:latest: target\.test/mirror/taken:latest was not moved: latest-20[0-9]{{6}} holds {other.Root.Digest}, not {first.Root.Digest}: a backup tag is never overwritten", refused.Out);
        Assert.Equal(first.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/taken:latest"));
        foreach (var day in days)
        {
            Assert.Equal(other.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/taken:{day}"));
        }
        Assert.Equal(second.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/off:latest"));
        Assert.Equal(["latest"], await TargetTagsAsync("mirror/off"));
    }
}
