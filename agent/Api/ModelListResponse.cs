namespace Fleet.Agent.Api;

/// <summary><c>GET /v1/models</c>.</summary>
public sealed record ModelListResponse(string Object, List<ModelDto> Data);
