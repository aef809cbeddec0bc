using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fleet.Stacks.Gateway;

/// <summary>The gateway's admin API (<c>/admin/v1/</c>, bearer token): load, node states, drain.</summary>
public sealed class GatewayAdminClient(HttpClient http, Uri baseUrl, string token)
{
    public Task<GatewayLoad> LoadAsync(CancellationToken ct) => GetAsync("admin/v1/load", GatewayJsonContext.Default.GatewayLoad, ct);

    public Task<GatewayNodes> NodesAsync(CancellationToken ct) => GetAsync("admin/v1/nodes", GatewayJsonContext.Default.GatewayNodes, ct);

    /// <summary>Asks the gateway to drain a node (idempotent: call again to poll); null when the gateway never heard of it.</summary>
    public Task<GatewayDrainStatus?> DrainAsync(string node, CancellationToken ct) => PostAsync($"admin/v1/nodes/{Uri.EscapeDataString(node)}/drain", ct);

    public Task<GatewayDrainStatus?> UndrainAsync(string node, CancellationToken ct) => PostAsync($"admin/v1/nodes/{Uri.EscapeDataString(node)}/undrain", ct);

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, path), ct).ConfigureAwait(false);
        await EnsureAsync(response, path, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(type, ct).ConfigureAwait(false)
            ?? throw new GatewayException($"gateway {path} returned an empty document");
    }

    private async Task<GatewayDrainStatus?> PostAsync(string path, CancellationToken ct)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, path), ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(response, path, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.GatewayDrainStatus, ct).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        throw new GatewayException($"gateway {path} answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}"
            + (response.StatusCode == HttpStatusCode.Unauthorized ? " (check FLEET_GATEWAY_TOKEN against the gateway's FLEET_ADMIN_TOKEN_FILE)" : ""));
    }
}
