using System.Text.RegularExpressions;

namespace ImageSync.Config;

/// <summary>
/// System.Text.Json's reader errors in words a person editing the file uses ("expected a value, found end of file"),
/// instead of the reader's own ("Expected depth to be zero at the end of the JSON payload"). The position is the
/// caller's to add. A message not known here keeps its first sentence.
/// </summary>
public static partial class JsonErrorText
{
    private static readonly (Regex Pattern, string Text)[] Known =
    [
        (ZeroDepthAtEnd(), "expected } or ], found end of file (an object or array is not closed)"),
        (EndOfData(), "expected a value, found end of file"),
        (EndOfString(), "expected the end of a string (\"), found end of file"),
        (NoTokens(), "expected a value, found an empty file"),
        (InvalidStartOfValue(), "expected a value, found '$1'"),
        (InvalidAfterValue(), "expected ',', '}' or ']' after a value, found '$1'"),
        (InvalidAfterPropertyName(), "expected ':' after a property name, found '$1'"),
        (InvalidStartOfPropertyName(), "expected a property name in double quotes, found '$1'"),
        (InvalidAfterDocument(), "expected the end of the file after the document, found '$1'"),
        (TrailingCommaObject(), "expected a property after ',', found } (JSON allows no trailing comma)"),
        (TrailingCommaArray(), "expected a value after ',', found ] (JSON allows no trailing comma)"),
        (InvalidInString(), "found '$1' inside a string, where it must be escaped"),
        (InvalidLiteral(), "expected $2, found '$1'"),
        (Unmatched(), "found '$1' with nothing open to close"),
    ];

    public static string Describe(string readerMessage)
    {
        // The reader appends its position ("LineNumber: 3 | BytePositionInLine: 4.") and advice on its options.
        var message = readerMessage.Split(" LineNumber:")[0].Split(" Change the reader options")[0].Trim().TrimEnd('.');
        foreach (var (pattern, text) in Known)
        {
            if (pattern.Match(message) is { Success: true } match)
            {
                // People write comments in JSON files; say why that one is refused.
                return match.Result(text) + (match.Groups.Count > 1 && match.Groups[1].Value == "/" ? " (JSON has no comments)" : "");
            }
        }
        var first = message.Split(". ")[0];
        return first.Length > 0 ? char.ToLowerInvariant(first[0]) + first[1..] : "not valid JSON";
    }

    [GeneratedRegex(@"^Expected depth to be zero at the end of the JSON payload")]
    private static partial Regex ZeroDepthAtEnd();

    [GeneratedRegex(@"^Expected (start of a property name or value|a value), but instead reached end of data")]
    private static partial Regex EndOfData();

    [GeneratedRegex(@"^Expected end of string, but instead reached end of data")]
    private static partial Regex EndOfString();

    [GeneratedRegex(@"^The input does not contain any (complete )?JSON tokens?")]
    private static partial Regex NoTokens();

    [GeneratedRegex(@"^'(.+?)' is an invalid start of a value")]
    private static partial Regex InvalidStartOfValue();

    [GeneratedRegex(@"^'(.+?)' is invalid after a value")]
    private static partial Regex InvalidAfterValue();

    [GeneratedRegex(@"^'(.+?)' is invalid after a property name")]
    private static partial Regex InvalidAfterPropertyName();

    [GeneratedRegex(@"^'(.+?)' is an invalid start of a property name")]
    private static partial Regex InvalidStartOfPropertyName();

    [GeneratedRegex(@"^'(.+?)' is invalid after a single JSON value")]
    private static partial Regex InvalidAfterDocument();

    [GeneratedRegex(@"^The JSON object contains a trailing comma")]
    private static partial Regex TrailingCommaObject();

    [GeneratedRegex(@"^The JSON array contains a trailing comma")]
    private static partial Regex TrailingCommaArray();

    [GeneratedRegex(@"^'(.+?)' is invalid within a JSON string")]
    private static partial Regex InvalidInString();

    [GeneratedRegex(@"^'(.+?)' is an invalid JSON literal\. Expected the literal '(\w+)'")]
    private static partial Regex InvalidLiteral();

    [GeneratedRegex(@"^'(.+?)' is invalid without a matching open")]
    private static partial Regex Unmatched();
}
