using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>
/// A small GitHub API on loopback, at /api/v3 as GitHub Enterprise serves it, for Octokit: git trees and blobs of
/// one repository whose refs are folders on disk, and pull requests, recorded.
/// </summary>
internal sealed class GitHubApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GitHubApiServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every API call: method, path and query.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public List<JsonObject> PullRequests { get; } = [];

    /// <summary>Branch names the API reports as protected; any other branch is unknown (404), as a new bot branch is.</summary>
    public HashSet<string> ProtectedBranches { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the tarball endpoint answers as GitHub does when the anonymous limit is used up.</summary>
    public bool RateLimited { get; set; }

    /// <summary>When above 0, the tarball endpoint first answers with a secondary rate limit asking for this many seconds.</summary>
    public int SecondaryLimitSeconds { get; set; }

    /// <summary>The Authorization header each archive download (on the codeload stand-in) carried.</summary>
    public ConcurrentQueue<string?> DownloadAuthorizations { get; } = new();

    /// <summary>
    /// When set, creating a pull request answers as github.com does for a workflow token in a repository that does not
    /// allow Actions to create pull requests (the body quoted in danielroe/uppt#11).
    /// </summary>
    public bool PullRequestsForbidden { get; set; }

    /// <summary>
    /// Hostile archives: when set, the codeload stand-in answers with what this writes (a hand-built tarball, one that
    /// never ends, one that stalls) instead of the ref's folder.
    /// </summary>
    public Func<HttpResponse, CancellationToken, Task>? ArchiveBody { get; set; }

    /// <summary>Path fragment to how many requests whose path contains it are answered 503 first (an outage that passes).</summary>
    public ConcurrentDictionary<string, int> Unavailable { get; } = new(StringComparer.Ordinal);

    /// <summary>What GET /repos/{owner}/{name} says the default branch is.</summary>
    public string DefaultBranch { get; set; } = "main";

    /// <param name="refs">ref name (branch, tag) to the folder holding that ref's files.</param>
    public static async Task<GitHubApiServer> StartAsync(string owner, string name, IReadOnlyDictionary<string, string> refs)
    {
        GitHubApiServer server = null!;
        var (app, url) = await LoopbackWebApp.StartAsync(app => server = Configure(app, owner, name, refs));
        server.Url = url;
        return server;
    }

    private static GitHubApiServer Configure(WebApplication app, string owner, string name, IReadOnlyDictionary<string, string> refs)
    {
        var server = new GitHubApiServer(app);
        var prefix = $"/api/v3/repos/{owner}/{name}";
        var blobs = new ConcurrentDictionary<string, byte[]>();

        app.Use(async (context, next) =>
        {
            server.Calls.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (context.Request.Path.StartsWithSegments("/api/v3"))
            {
                server.Authorizations.Enqueue(context.Request.Headers.Authorization.FirstOrDefault());
            }
            foreach (var (fragment, left) in server.Unavailable)
            {
                if (left > 0 && context.Request.Path.Value!.Contains(fragment, StringComparison.Ordinal) && server.Unavailable.TryUpdate(fragment, left - 1, left))
                {
                    context.Response.StatusCode = 503;
                    return;
                }
            }
            await next(context);
        });
        // Any repository exists, for the pull request side; only owner/name has trees and blobs.
        const string anyRepository = "/api/v3/repos/{owner}/{name}";
        app.MapGet(anyRepository, (string owner, string name) => Results.Json(new
        {
            id = 1, name, full_name = $"{owner}/{name}", default_branch = server.DefaultBranch, @private = false,
            owner = new { login = owner, id = 1 }, html_url = $"https://github.com/{owner}/{name}",
        }));
        app.MapGet(prefix + "/git/trees/{*reference}", (string reference) =>
        {
            if (!refs.TryGetValue(reference, out var folder))
            {
                return Results.Json(new { message = "Not Found" }, statusCode: 404);
            }
            var tree = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
            {
                var content = File.ReadAllBytes(path);
                var sha = GitBlobSha(content);
                blobs[sha] = content;
                return new { path = Path.GetRelativePath(folder, path).Replace('\\', '/'), mode = "100644", type = "blob", sha, size = content.Length, url = $"{server.Url}api/v3/repos/{owner}/{name}/git/blobs/{sha}" };
            }).ToList();
            return Results.Json(new { sha = GitBlobSha(Encoding.UTF8.GetBytes(reference)), url = "", tree, truncated = false });
        });
        // As GitHub does: the API answers 302 to codeload, on another host there (here, another path).
        app.MapGet(prefix + "/tarball/{*reference}", (string reference, HttpContext context) =>
        {
            if (server.RateLimited)
            {
                context.Response.Headers["X-RateLimit-Limit"] = "60";
                context.Response.Headers["X-RateLimit-Remaining"] = "0";
                context.Response.Headers["X-RateLimit-Reset"] = "1900000000";
                return Results.Json(new { message = "API rate limit exceeded for 127.0.0.1." }, statusCode: 403);
            }
            if (server.SecondaryLimitSeconds > 0)
            {
                context.Response.Headers.RetryAfter = server.SecondaryLimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                server.SecondaryLimitSeconds = 0;
                return Results.Json(new { message = "You have exceeded a secondary rate limit." }, statusCode: 403);
            }
            return refs.ContainsKey(reference)
                ? Results.Redirect($"/codeload/{owner}/{name}/legacy.tar.gz/{reference}")
                : Results.Json(new { message = "Not Found" }, statusCode: 404);
        });
        app.MapGet($"/codeload/{owner}/{name}/legacy.tar.gz/{{*reference}}", async (string reference, HttpContext context) =>
        {
            server.DownloadAuthorizations.Enqueue(context.Request.Headers.Authorization.FirstOrDefault());
            context.Response.ContentType = "application/x-gzip";
            if (server.ArchiveBody is { } hostile)
            {
                await hostile(context.Response, context.RequestAborted);
                return;
            }
            var folder = refs[reference];
            await using var gzip = new System.IO.Compression.GZipStream(context.Response.Body, System.IO.Compression.CompressionLevel.Fastest);
            await using var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Pax);
            var top = $"{owner}-{name}-{GitBlobSha(Encoding.UTF8.GetBytes(reference))[..7]}/";
            await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.Directory, top));
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                await tar.WriteEntryAsync(path, top + Path.GetRelativePath(folder, path).Replace('\\', '/'));
            }
        });
        app.MapGet(prefix + "/git/blobs/{sha}", (string sha) =>
            blobs.TryGetValue(sha, out var content)
                ? Results.Json(new { sha, size = content.Length, url = "", content = Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks), encoding = "base64" })
                : Results.Json(new { message = "Not Found" }, statusCode: 404));
        app.MapGet(anyRepository + "/branches/{*branch}", (string branch) => server.ProtectedBranches.Contains(branch)
            ? Results.Json(new { name = branch, @protected = true, commit = new { sha = new string('0', 40), url = "" } })
            : Results.Json(new { message = "Branch not found" }, statusCode: 404));
        app.MapGet(anyRepository + "/pulls", (string owner, HttpContext context) =>
        {
            var head = context.Request.Query["head"].ToString();
            lock (server.PullRequests)
            {
                return Results.Json(server.PullRequests.Where(pr => pr["state"]!.GetValue<string>() == "open" && pr["head"]!["label"]!.GetValue<string>() == head).ToList());
            }
        });
        app.MapPost(anyRepository + "/pulls", async (string owner, string name, HttpContext context) =>
        {
            if (server.PullRequestsForbidden)
            {
                return Results.Json(new { message = "GitHub Actions is not permitted to create or approve pull requests.", documentation_url = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request", status = "403" }, statusCode: 403);
            }
            var request = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
            lock (server.PullRequests)
            {
                var number = server.PullRequests.Count + 1;
                var pr = new JsonObject
                {
                    ["id"] = number, ["number"] = number, ["state"] = "open",
                    ["title"] = request["title"]!.GetValue<string>(), ["body"] = request["body"]?.GetValue<string>(),
                    ["html_url"] = $"https://github.com/{owner}/{name}/pull/{number}",
                    // "branch" for a branch of this repository, "owner:branch" for a fork's.
                    ["head"] = new JsonObject
                    {
                        ["ref"] = request["head"]!.GetValue<string>().Split(':')[^1],
                        ["label"] = request["head"]!.GetValue<string>().Contains(':', StringComparison.Ordinal) ? request["head"]!.GetValue<string>() : $"{owner}:{request["head"]!.GetValue<string>()}",
                    },
                    ["base"] = new JsonObject { ["ref"] = request["base"]!.GetValue<string>() },
                };
                server.PullRequests.Add(pr);
                return Results.Json(pr, statusCode: 201);
            }
        });
        app.MapMethods(anyRepository + "/pulls/{number:int}", ["PATCH"], async (int number, HttpContext context) =>
        {
            var request = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
            lock (server.PullRequests)
            {
                var pr = server.PullRequests[number - 1];
                pr["title"] = request["title"]?.GetValue<string>() ?? pr["title"]!.GetValue<string>();
                pr["body"] = request["body"]?.GetValue<string>();
                return Results.Json(pr);
            }
        });
        return server;
    }

    private static string GitBlobSha(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git names blobs by SHA-1; this is an identifier, not security.
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
