using System.Formats.Tar;
using System.Text;
using ImageSync.Tests.Support;
using ImageSync.Upstream;

namespace ImageSync.Tests.Upstream;

/// <summary>Our tar reader against what .NET's TarWriter writes in each format (long names included), and the name rule.</summary>
public sealed class TarArchiveReaderTests
{
    private static readonly string LongName = "top/" + string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 8)) + "/file.yaml";

    private static async Task<List<(string Name, TarEntryType Type, string Data)>> ReadAllAsync(byte[] tar, ArchiveLimits? limits = null)
    {
        var reader = new TarArchiveReader(new MemoryStream(tar), limits ?? ArchiveLimits.Default, "test");
        var entries = new List<(string, TarEntryType, string)>();
        while (await reader.NextAsync(default) is { } entry)
        {
            entries.Add((entry.Name, entry.Type, entry.IsRegularFile && entry.Name.EndsWith("b.txt", StringComparison.Ordinal) ? Encoding.UTF8.GetString(await reader.ReadDataAsync(default)) : ""));
        }
        return entries;
    }

    [Theory]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.Ustar)]
    public async Task Reads_what_tar_writer_writes_with_long_names_and_skipped_data(TarEntryFormat format)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, format, leaveOpen: true))
        {
            var name = format == TarEntryFormat.Ustar ? "top/" + new string('p', 120) + "/file.yaml" : LongName;
            foreach (var (path, type, data) in new[] { ("top/", TarEntryType.Directory, ""), (name, TarEntryType.RegularFile, new string('x', 1000)), ("top/b.txt", TarEntryType.RegularFile, "bee") })
            {
                TarEntry entry = format switch
                {
                    TarEntryFormat.Pax => new PaxTarEntry(type, path),
                    TarEntryFormat.Gnu => new GnuTarEntry(type, path),
                    _ => new UstarTarEntry(type, path),
                };
                if (data.Length > 0)
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(data));
                }
                writer.WriteEntry(entry);
            }
        }

        var entries = await ReadAllAsync(tar.ToArray());

        Assert.Equal(3, entries.Count);
        Assert.Equal(format == TarEntryFormat.Ustar ? "top/" + new string('p', 120) + "/file.yaml" : LongName, entries[1].Name);
        Assert.Equal(("top/b.txt", TarEntryType.RegularFile, "bee"), entries[2]);
    }

    [Fact]
    public async Task A_bad_checksum_or_a_truncated_entry_refuses_the_archive()
    {
        var header = HostileTar.Header("top/a", '0', 10);
        header[0] ^= 1;
        var truncated = HostileTar.File("top/a", new string('a', 2000))[..1000];

        var checksum = await Assert.ThrowsAsync<ImageSync.Errors.ImageSyncException>(() => ReadAllAsync(header));
        var cut = await Assert.ThrowsAsync<ImageSync.Errors.ImageSyncException>(() => ReadAllAsync([.. HostileTar.File("top/b.txt", "b"), .. truncated, .. HostileTar.Header("top/c", '0', 0)]));

        Assert.Equal("test: the archive from GitHub is not a tar archive (a header's checksum does not match); refused", checksum.Message);
        Assert.Equal("test: the archive from GitHub ends in the middle of an entry; refused", cut.Message);
    }

    [Fact]
    public async Task Entries_count_and_every_byte_counts_toward_the_bounds()
    {
        var files = Enumerable.Range(0, 4).SelectMany(i => HostileTar.File($"top/{i}", "x")).ToArray();

        var count = await Assert.ThrowsAsync<ImageSync.Errors.ImageSyncException>(() => ReadAllAsync(files, ArchiveLimits.Default with { MaxEntries = 3 }));
        var bytes = await Assert.ThrowsAsync<ImageSync.Errors.ImageSyncException>(() => ReadAllAsync(files, ArchiveLimits.Default with { MaxUnpackedBytes = 3 * 1024 }));

        Assert.Contains("holds more than 3 entries", count.Message, StringComparison.Ordinal);
        Assert.Contains("unpacks to more than", bytes.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("top/", true, "")]
    [InlineData("top/samples/a.yaml", true, "samples/a.yaml")]
    [InlineData("top/samples//a.yaml", false, "it has an empty path component")]
    [InlineData("top/samples/../a.yaml", false, "it has a \".\" or \"..\" component")]
    [InlineData("/top/a.yaml", false, "it is absolute")]
    [InlineData("other/a.yaml", false, "it lies outside the archive's top folder top/")]
    public void Only_plain_paths_under_the_first_entrys_top_folder_are_read(string name, bool ok, string expected)
    {
        var top = new ArchiveTopFolder();
        Assert.True(top.TryRelative("top/", out _, out _));

        Assert.Equal(ok, top.TryRelative(name, out var path, out var problem));
        Assert.Equal(expected, ok ? path : problem);
    }

    /// <summary>What GitHub serves is git archive's output: a global PAX header with the commit, then ustar and PAX entries.</summary>
    [Fact]
    public async Task Reads_what_git_archive_writes_as_github_serves_it()
    {
        using var repo = new DownstreamRepo();
        var deep = string.Join('/', Enumerable.Repeat("a-folder-name-long-enough", 6)) + "/sample.yaml";
        repo.Write(deep, "image: x:1\n");
        repo.Write("samples/b.txt", "bee");
        var commit = repo.CommitAll("files");
        var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", repo.Path, "archive", "--format=tar", "--prefix=istio-istio-" + commit[..7] + "/", "HEAD"]) { RedirectStandardOutput = true };
        using var git = System.Diagnostics.Process.Start(start)!;
        using var tar = new MemoryStream();
        await git.StandardOutput.BaseStream.CopyToAsync(tar);
        await git.WaitForExitAsync();
        Assert.Equal(0, git.ExitCode);

        var top = new ArchiveTopFolder();
        var paths = (await ReadAllAsync(tar.ToArray())).Select(e => top.TryRelative(e.Name, out var path, out var problem) ? path : problem).ToList();

        Assert.Contains(deep, paths);
        Assert.Contains("samples/b.txt", paths);
        Assert.All(paths, p => Assert.DoesNotContain("it ", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_first_entry_that_is_a_file_outside_any_folder_is_refused()
    {
        Assert.False(new ArchiveTopFolder().TryRelative("README", out _, out var problem));
        Assert.Equal("it is a file outside any top folder", problem);
    }
}
