using ImageSync.Config;
using ImageSync.Copy;

namespace ImageSync.Selection;

/// <summary>
/// A run's tags once the rules have picked from upstream's tag lists: <see cref="Config"/> with the picks added to
/// each image's tags, the <see cref="Selection"/> of them the run works on, what each image's rules picked, and a
/// failed row per image whose list could not be read or whose pick another image writes.
/// </summary>
public sealed record RuleExpansion(SyncConfig Config, TagSelection Selection, IReadOnlyList<ImagePicks> Images, IReadOnlyList<TagResult> Failures);
