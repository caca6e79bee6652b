using System.Text;

namespace ImageSync.Output;

/// <summary>
/// Every secret a run holds, in every form it travels in: as given, base64 (alone, and as the <c>user:password</c>
/// of a Basic header) and URL-encoded. It grows during the run: tokens a registry issues are added when they arrive.
/// </summary>
public sealed class SecretSet
{
    // Shorter values would blank out ordinary words; no real password, token or key is this short.
    private const int MinimumLength = 4;
    private readonly Lock _lock = new();
    // What was already added, as given: the same credential is offered on every request and joins once.
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);
    private string[] _forms = [];

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength || !FirstTime(secret))
        {
            return;
        }
        AddForms(secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), Uri.EscapeDataString(secret));
    }

    /// <summary>A user and password: the password in its forms, and the base64 <c>user:password</c> of Basic auth.</summary>
    public void AddBasic(string? username, string? password)
    {
        Add(password);
        if (!string.IsNullOrEmpty(password) && FirstTime($"{username}\0{password}"))
        {
            AddForms(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }
    }

    private bool FirstTime(string key)
    {
        lock (_lock)
        {
            return _added.Add(key);
        }
    }

    private void AddForms(params string[] forms)
    {
        lock (_lock)
        {
            // Longest first, so a secret that contains another is replaced whole.
            _forms = [.. _forms.Union(forms.Where(f => f.Length >= MinimumLength), StringComparer.Ordinal).OrderByDescending(f => f.Length)];
        }
    }

    public string Redact(string text)
    {
        foreach (var form in Volatile.Read(ref _forms))
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, "***", StringComparison.Ordinal);
            }
        }
        return text;
    }
}
