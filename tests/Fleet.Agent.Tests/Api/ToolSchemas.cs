using System.Text.Json;

namespace Fleet.Agent.Tests.Api;

/// <summary>The tools the tool-call tests offer, and a check that a call's arguments satisfy its tool's schema.</summary>
public static class ToolSchemas
{
    public const string WeatherParameters =
        """{"type":"object","properties":{"city":{"type":"string","description":"a city"},"unit":{"enum":["c","f"]},"days":{"type":"integer"}},"required":["city","unit"],"additionalProperties":false}""";

    public const string TimeParameters = """{"type":"object","properties":{"zone":{"enum":["utc","cet"]},"exact":{"type":"boolean"}},"required":["zone","exact"]}""";

    /// <summary>Both tools in the request shape.</summary>
    public static object[] Tools =>
    [
        new { type = "function", function = new { name = "get_weather", description = "Weather for a city", parameters = JsonDocument.Parse(WeatherParameters).RootElement } },
        new { type = "function", function = new { name = "get_time", parameters = JsonDocument.Parse(TimeParameters).RootElement } },
    ];

    /// <summary>Asserts <paramref name="arguments"/> (the JSON string of a call) is valid for tool <paramref name="name"/>.</summary>
    public static void AssertValid(string name, string arguments)
    {
        using var doc = JsonDocument.Parse(arguments);
        var o = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, o.ValueKind);
        if (name == "get_weather")
        {
            Assert.Equal(JsonValueKind.String, o.GetProperty("city").ValueKind);
            Assert.Contains(o.GetProperty("unit").GetString(), new[] { "c", "f" });
            if (o.TryGetProperty("days", out var days)) Assert.True(days.TryGetInt64(out _), arguments);
            Assert.All(o.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "city", "unit", "days" }));
        }
        else
        {
            Assert.Equal("get_time", name);
            Assert.Contains(o.GetProperty("zone").GetString(), new[] { "utc", "cet" });
            Assert.True(o.GetProperty("exact").ValueKind is JsonValueKind.True or JsonValueKind.False, arguments);
            Assert.All(o.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "zone", "exact" }));
        }
    }
}
