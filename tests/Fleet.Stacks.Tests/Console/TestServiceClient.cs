using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests.Console;

/// <summary>Reads operations through <c>GET /v1/operations/{id}</c>, waiting for a state the writer sets.</summary>
public sealed class TestServiceClient(HttpClient client)
{
    public async Task<JsonObject> FinishedAsync(string id)
    {
        JsonObject op = null!;
        await Eventually.TrueAsync(() =>
        {
            op = client.GetFromJsonAsync<JsonObject>($"/v1/operations/{id}").GetAwaiter().GetResult()!["operation"]!.AsObject();
            return op["state"]!.GetValue<string>() is "succeeded" or "failed";
        }, $"operation {id} to finish");
        return op;
    }
}
