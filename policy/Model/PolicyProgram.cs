namespace Fleet.Policy.Model;

/// <summary>What stack-level rules (<c>validateStack</c>) see: every resource and the context.</summary>
public sealed record PolicyProgram(IReadOnlyList<PolicyResource> Resources, PolicyContext Context)
{
    public PolicyResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);
}
