namespace Fleet.Policy.Model;

/// <summary>A rule of the pack. Derive from <see cref="ResourceRule"/> or <see cref="StackRule"/>.</summary>
public abstract class PolicyRule
{
    /// <summary>Stable id, e.g. <c>FP002</c>; the README's rule table lists every id.</summary>
    public abstract string Id { get; }

    /// <summary>Short kebab-case name.</summary>
    public abstract string Name { get; }

    /// <summary>One sentence: what the rule guarantees (the README table shows it).</summary>
    public abstract string Description { get; }

    public virtual EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;
}
