namespace Fleet.Gateway.Hosting;

/// <summary><c>GET /ready</c>: ready once the keys, nodes and admin token files are loaded.</summary>
public sealed record ReadyStatus(bool Ready, bool ApiKeys, bool Nodes, bool AdminToken, int ReadyNodes);
