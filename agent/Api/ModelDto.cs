namespace Fleet.Agent.Api;

/// <summary>One entry of <c>GET /v1/models</c>.</summary>
public sealed record ModelDto(string Id, string Object, long Created, string OwnedBy);
