using System.Text.Json;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.Jwt;

/// <summary>A test fleet whose gateway trusts the given issuers (its <c>FLEET_JWT_ISSUERS_FILE</c> in a temp folder).</summary>
internal static class JwtFleet
{
    public static async Task<TestFleet> StartAsync(object[] entries, int[]? slots = null, TestKey[]? keys = null, TimeSpan? jwksTimeout = null)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("fleet-jwt-").FullName, "issuers.json");
        Write(file, entries);
        return await TestFleet.StartAsync(slots ?? [4], keys, o => o with { JwtIssuersFile = file, JwksTimeout = jwksTimeout ?? o.JwksTimeout });
    }

    public static void Write(string path, object[] entries) => File.WriteAllText(path, JsonSerializer.Serialize(new { issuers = entries }));

    /// <summary>A chat completion sent with <paramref name="token"/> as the bearer credential, fully read.</summary>
    public static async Task<HttpResponseMessage> ChatAsync(this TestFleet fleet, string token, string model = "tiny")
    {
        using var http = fleet.Gateway.Client(token);
        var response = await http.PostAsync("/v1/chat/completions", TestFleet.ChatBody(model));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
