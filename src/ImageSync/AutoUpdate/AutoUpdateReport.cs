using System.Text;
using ImageSync.Config;
using ImageSync.Output;
using ImageSync.AutoUpdate;
using Spectre.Console;

namespace ImageSync.AutoUpdate;

/// <summary>How AutoUpdate's findings are told: the table on the terminal, the commit message, the pull request.</summary>
public static class AutoUpdateReport
{
    public static void Write(IAnsiConsole output, AutoUpdatePlan plan, int fileCount)
    {
        output.WriteLine($"{fileCount} upstream files read.");
        var table = new Table().AddColumns("Image", "Old tag", "New tag", "Upstream", "Files rewritten");
        foreach (var update in plan.Updates)
        {
            var files = update.ChangesTag ? plan.Rewrites.Count(r => r.Targets.Contains(update.Image.Target.Name)) : 0;
            table.AddRow(
                Markup.Escape(update.Image.Name),
                Markup.Escape(update.OldTag ?? (update.ChangesTag ? "(none)" : "")),
                update.ChangesTag ? $"[yellow]{Markup.Escape(update.NewTag!)}[/]" : Markup.Escape(update.NewTag ?? ""),
                Markup.Escape(update.Evidence is { } e ? $"{e.Raw} ({e.Location})" : "not found"),
                files == 0 ? "" : files.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        output.Write(table);
        foreach (var line in VendoredLines(plan, Untrusted.Line))
        {
            output.WriteLine(line);
        }
        foreach (var note in plan.Updates.SelectMany(u => u.Notes.Select(n => $"{u.Image.Name}: {n}")).Concat(plan.Notes))
        {
            output.WriteLine($"note: {note}");
        }
    }

    /// <summary>Counts the images whose entry changed (a new tag, a followed move, or both), each once.</summary>
    public static string Title(AutoUpdatePlan plan)
    {
        var tags = plan.TagChanges.ToList();
        var vendored = plan.VendoredChanges.Updates.Count;
        var images = tags.Concat(plan.FollowedMoves).Select(u => u.Image.Name).Distinct(StringComparer.Ordinal).ToList();
        return images.Count switch
        {
            0 when vendored > 0 => vendored == 1 ? $"Update {plan.VendoredChanges.Updates[0].File.Path} from upstream" : $"Update {vendored} vendored files from upstream",
            0 => "Follow upstream image moves",
            1 when tags.Count == 0 => $"Follow {images[0]}'s move to {plan.FollowedMoves[0].UpstreamNow!.Name}",
            1 => $"Update {images[0]} to {string.Join(", ", tags.Select(t => t.NewTag))}",
            _ when tags.Count == 0 => $"Follow {images.Count} images' moves upstream",
            _ => $"Update {images.Count} images to upstream's tags",
        };
    }

    public static string CommitMessage(AutoUpdatePlan plan, UpstreamSampleSource samples)
    {
        // Not Markdown, but GitHub still reads mentions, issue references and closing keywords in it when the commit
        // lands: every value that came from upstream or a file is made inert, as the pull request body's code spans do.
        var message = new StringBuilder(Untrusted.Inert(Title(plan))).AppendLine().AppendLine();
        message.AppendLine($"Tags as {Untrusted.Inert($"{samples.Repository}@{samples.Ref}")} uses them:").AppendLine();
        foreach (var update in plan.TagChanges)
        {
            message.AppendLine($"- {Untrusted.Inert(update.Image.Name)}: {Untrusted.Inert(update.OldTag ?? "(none)")} -> {Untrusted.Inert(update.NewTag)} ({Untrusted.Inert(update.Evidence?.Location)})");
        }
        if (plan.FollowedMoves.Count > 0)
        {
            message.AppendLine().AppendLine("Upstream moves followed:").AppendLine();
            foreach (var move in plan.FollowedMoves)
            {
                message.AppendLine($"- {Untrusted.Inert(move.Image.Name)}: {Untrusted.Inert(move.Image.Upstream.Name)} -> {Untrusted.Inert(move.UpstreamNow!.Name)}");
            }
        }
        foreach (var line in VendoredLines(plan, Untrusted.Line))
        {
            message.AppendLine(line);
        }
        return message.ToString();
    }

    /// <summary>
    /// Markdown for the pull request. Everything upstream wrote (paths, references, notes that quote them) stands in
    /// code spans or a code block, so it cannot add links, images or @mentions to the page.
    /// </summary>
    public static string PullRequestBody(AutoUpdatePlan plan, UpstreamSampleSource samples)
    {
        var body = new StringBuilder($"Image tags as {Untrusted.Code($"{samples.Repository}@{samples.Ref}")}'s samples use them, found by imagesync AutoUpdate.").AppendLine().AppendLine();
        body.AppendLine("| image | old tag | new tag | upstream |").AppendLine("|---|---|---|---|");
        foreach (var update in Changed(plan))
        {
            var evidence = update.Evidence is { } e ? $"{Untrusted.Code(e.Raw)} at [{Untrusted.Code(e.Location)}](<{LinkTarget(e.WebUrl)}>)" : "";
            body.AppendLine($"| {Untrusted.Code(update.Image.Name)} | {Untrusted.Code(update.OldTag ?? "(none)")} | {Untrusted.Code(update.NewTag)} | {evidence.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
        if (plan.FollowedMoves.Count > 0)
        {
            body.AppendLine().AppendLine("Upstream moves followed:").AppendLine().AppendLine("| image | from | to |").AppendLine("|---|---|---|");
            foreach (var move in plan.FollowedMoves)
            {
                body.AppendLine($"| {Untrusted.Code(move.Image.Name)} | {Untrusted.Code(move.Image.Upstream.Name)} | {Untrusted.Code(move.UpstreamNow!.Name)} |");
            }
        }
        if (plan.VendoredChanges.Updates.Count > 0 || plan.VendoredChanges.Renames.Count > 0)
        {
            body.AppendLine().AppendLine("| vendored file | upstream | now pins |").AppendLine("|---|---|---|");
            foreach (var update in plan.VendoredChanges.Updates)
            {
                body.AppendLine($"| {Untrusted.Code(update.File.Path)} | [{Untrusted.Code(update.File.UpstreamPath)}](<{LinkTarget(update.WebUrl)}>) | {string.Join(", ", update.Pins.Select(Untrusted.Code))} |");
            }
            foreach (var rename in plan.VendoredChanges.Renames)
            {
                body.AppendLine().Append($"- {Untrusted.Code($"{rename.File}:{rename.Line}")}: images name {Untrusted.Code(rename.OldName)} -> {Untrusted.Code(rename.NewName)} (upstream moved the image; newName stays)");
            }
            body.AppendLine();
        }
        var notes = plan.Updates.SelectMany(u => u.Notes.Select(n => $"{u.Image.Name}: {Untrusted.Line(n).Replace('`', '\'')}"))
            .Concat(plan.VendoredChanges.Notes.Select(n => Untrusted.Line(n).Replace('`', '\''))).ToList();
        if (notes.Count > 0)
        {
            body.AppendLine().AppendLine("Notes:").AppendLine("```text").AppendLine(string.Join("\n", notes)).AppendLine("```");
        }
        return body.ToString();
    }

    /// <summary>A URL as a Markdown link target in angle brackets: nothing in it can end the link or the line.</summary>
    private static string LinkTarget(string url)
    {
        var text = new StringBuilder();
        foreach (var c in Untrusted.Line(url, 2000))
        {
            text.Append(c is '<' or '>' or ' ' or '`' or '|' or '\\' or '@' or '[' or ']' or '(' or ')' ? Uri.HexEscape(c) : c.ToString());
        }
        return text.ToString();
    }

    /// <summary>One line per vendored file replaced (with the references it now pins) and per kustomization rename.</summary>
    private static IEnumerable<string> VendoredLines(AutoUpdatePlan plan, Func<string?, int, string> clean)
    {
        foreach (var update in plan.VendoredChanges.Updates)
        {
            yield return $"- {update.File.Path}: upstream's {clean(update.File.UpstreamPath, Untrusted.MaxLength)}, pins {clean(string.Join(", ", update.Pins), Untrusted.MaxLength)}";
        }
        foreach (var rename in plan.VendoredChanges.Renames)
        {
            yield return $"- {rename.File}:{rename.Line}: images name {rename.OldName} -> {clean(rename.NewName, Untrusted.MaxLength)}";
        }
    }

    private static IEnumerable<ImageUpdate> Changed(AutoUpdatePlan plan) => plan.Updates.Where(u => u.ChangesTag || u.Moved);
}
