using System.Text;
using ImageSync.Output;

namespace ImageSync.Tests.Output;

public sealed class SecretSetTests
{
    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void A_secret_is_removed_as_given_base64_and_url_encoded()
    {
        var secrets = new SecretSet();
        secrets.Add("p@ss/word+1");

        var text = $"a p@ss/word+1 b {Base64("p@ss/word+1")} c {Uri.EscapeDataString("p@ss/word+1")} d";

        Assert.Equal("a *** b *** c *** d", secrets.Redact(text));
    }

    [Fact]
    public void A_basic_login_is_removed_as_the_header_carries_it()
    {
        var secrets = new SecretSet();
        secrets.AddBasic("robot", "hunter22");

        Assert.Equal("Authorization: Basic ***", secrets.Redact($"Authorization: Basic {Base64("robot:hunter22")}"));
        Assert.Equal("password ***", secrets.Redact("password hunter22"));
    }

    [Fact]
    public void A_secret_that_contains_another_is_replaced_whole()
    {
        var secrets = new SecretSet();
        secrets.Add("abcd");
        secrets.Add("xxabcdxx");

        Assert.Equal("[***]", secrets.Redact("[xxabcdxx]"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    public void Values_too_short_to_be_secrets_do_not_blank_out_words(string? value)
    {
        var secrets = new SecretSet();
        secrets.Add(value);

        Assert.Equal("abc abcd", secrets.Redact("abc abcd"));
    }

    [Fact]
    public void Text_without_a_secret_is_unchanged()
    {
        var secrets = new SecretSet();
        secrets.Add("token-1234");

        Assert.Equal("nothing here", secrets.Redact("nothing here"));
    }
}
