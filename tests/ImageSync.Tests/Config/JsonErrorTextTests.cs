using ImageSync.Config;

namespace ImageSync.Tests.Config;

/// <summary>The JSON reader's errors, phrased for the person editing the file.</summary>
public sealed class JsonErrorTextTests
{
    [Theory]
    [InlineData("Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 3 | BytePositionInLine: 0.", "expected } or ], found end of file (an object or array is not closed)")]
    [InlineData("Expected start of a property name or value, but instead reached end of data. LineNumber: 3 | BytePositionInLine: 2.", "expected a value, found end of file")]
    [InlineData("'/' is invalid after a value. Expected either ',', '}', or ']'. LineNumber: 1 | BytePositionInLine: 2.", "expected ',', '}' or ']' after a value, found '/' (JSON has no comments)")]
    [InlineData("'tru' is an invalid JSON literal. Expected the literal 'true'. LineNumber: 0 | BytePositionInLine: 9.", "expected true, found 'tru'")]
    [InlineData("Something new the reader says. And more.", "something new the reader says")]
    public void Reader_messages_become_what_was_expected_and_what_was_found(string reader, string expected)
    {
        Assert.Equal(expected, JsonErrorText.Describe(reader));
    }
}
