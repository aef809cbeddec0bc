namespace Fleet.Gateway.Proxy;

/// <summary>The <c>GET /v1/models</c> answer in the OpenAI shape.</summary>
public sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);
