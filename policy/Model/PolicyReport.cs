namespace Fleet.Policy.Model;

/// <summary>Collects the findings of one rule (rules never change what they check).</summary>
public sealed class PolicyReport(string ruleId, string ruleName, EnforcementLevel level, List<PolicyViolation> sink)
{
    public void Violation(string resource, string message, string fix) => sink.Add(new(ruleId, ruleName, level, resource, message, fix));
}
