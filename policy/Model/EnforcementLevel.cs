namespace Fleet.Policy.Model;

/// <summary>Mandatory findings stop synthesis; advisory ones are reported on stderr.</summary>
public enum EnforcementLevel
{
    Advisory,
    Mandatory,
}
