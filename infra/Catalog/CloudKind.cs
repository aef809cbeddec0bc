namespace Fleet.Infra.Catalog;

/// <summary>The clouds Fleet provisions on (<c>fleet:cloud</c>).</summary>
public enum CloudKind
{
    DigitalOcean,
    Hetzner,
}
