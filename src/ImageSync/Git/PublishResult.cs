using ImageSync.Errors;
using ImageSync.Config;
using ImageSync.Output;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;
using Octokit;

namespace ImageSync.Git;

public sealed record PublishResult(IReadOnlyList<string> Written, string? CommitSha, PullRequestResult? PullRequest);
