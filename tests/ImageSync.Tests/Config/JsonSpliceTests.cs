using System.Text;
using ImageSync.Config;

namespace ImageSync.Tests.Config;

/// <summary>Setting one property in place: replaced or appended, indented as its siblings, everything else byte for byte.</summary>
public sealed class JsonSpliceTests
{
    private static string Set(string json, string[] path, string key, string value) =>
        Encoding.UTF8.GetString(JsonSplice.Set(Encoding.UTF8.GetBytes(json), path, key, value));

    [Fact]
    public void A_value_is_replaced_and_nothing_else_moves() =>
        Assert.Equal("{ \"a\": 1,   \"b\": [9],\n\"c\": 3 }", Set("{ \"a\": 1,   \"b\": {\"x\": [1, 2]},\n\"c\": 3 }", [], "b", "[9]"));

    [Fact]
    public void A_new_property_follows_the_last_one_indented_as_it_is() =>
        Assert.Equal("{\r\n    \"a\": 1,\r\n    \"k\": {\n      \"p\": 1\n    }\r\n}\r\n", Set("{\r\n    \"a\": 1\r\n}\r\n", [], "k", "{\n  \"p\": 1\n}"));

    [Fact]
    public void A_nested_object_gets_its_property_and_an_empty_one_gets_its_first() =>
        Assert.Equal("{\"s\": {\"r\": \"x\",\n  \"files\": {}}, \"e\": {\n    \"k\": 1}}", Set(Set("{\"s\": {\"r\": \"x\"}, \"e\": {}}", ["s"], "files", "{}"), ["e"], "k", "1"));
}
