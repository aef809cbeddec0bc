namespace Fleet.Stacks.Scaling;

/// <summary>A previewed step a node-list change must not take: its op and the resource's logical name (and URN).</summary>
public sealed record RefusedStep(string Op, string Name, string Urn)
{
    public override string ToString() => $"{Op} {Name}";
}
