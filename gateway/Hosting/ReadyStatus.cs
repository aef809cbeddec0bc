namespace Fleet.Gateway.Hosting;

/// <summary>
/// <c>GET /ready</c>: ready once the keys, nodes and admin token files are loaded, and the JWT issuers file when one is
/// configured (<c>jwtIssuers</c> is true when none is).
/// </summary>
public sealed record ReadyStatus(bool Ready, bool ApiKeys, bool Nodes, bool AdminToken, int ReadyNodes, bool JwtIssuers = true);
