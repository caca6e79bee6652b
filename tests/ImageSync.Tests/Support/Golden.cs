namespace ImageSync.Tests.Support;

/// <summary>
/// Golden files: the expected output lives beside the test in the source tree. Run with UPDATE_GOLDEN=1 to rewrite
/// them, then read the diff before committing.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string expectedPath, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }
        Assert.True(File.Exists(expectedPath), $"missing golden file {expectedPath}; run the tests with UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(expectedPath).ReplaceLineEndings("\n"), actual);
    }
}
