namespace Fleet.Gateway.Jwt;

/// <summary>The JWT issuers file the stack writes (<c>FLEET_JWT_ISSUERS_FILE</c>, from the stack's <c>fleet:jwtIssuers</c>).</summary>
public sealed record JwtIssuersFile(IReadOnlyList<JwtIssuersFileEntry>? Issuers);
