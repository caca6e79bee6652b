namespace ImageSync.Build;

/// <summary>Turns the words given for a parameter into its value; <paramref name="error"/> says what is wrong.</summary>
internal delegate bool ValueParser<T>(IReadOnlyList<string> words, out T value, out string error);
