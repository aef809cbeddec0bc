namespace Fleet.Stacks.Pulumi;

/// <summary>A <c>display.PreviewDiagnostic</c> (pulumi/pulumi v3.259.0 <c>pkg/display/json.go</c>).</summary>
public sealed record PreviewDiagnostic(string? Urn, string? Message, string? Severity);
