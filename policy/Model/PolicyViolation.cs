namespace Fleet.Policy.Model;

/// <summary>One finding: the rule, the resource, what is wrong and how to fix it.</summary>
public sealed record PolicyViolation(string RuleId, string RuleName, EnforcementLevel Level, string Resource, string Message, string Fix)
{
    public override string ToString() =>
        $"{(Level == EnforcementLevel.Mandatory ? "mandatory" : "advisory")} {RuleId} {RuleName} [{Resource}]: {Message}\n    fix: {Fix}";
}
