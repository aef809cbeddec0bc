namespace Fleet.Policy.Model;

/// <summary>Sees one resource at a time (CrossGuard's <c>validateResource</c>) plus the stack context.</summary>
public abstract class ResourceRule : PolicyRule
{
    public abstract void Check(PolicyResource resource, PolicyContext context, PolicyReport report);
}
