namespace Fleet.Infra.Pulumi;

/// <summary>An entry under the program's <c>config:</c>; used only for secrets, which the program references as <c>${key}</c>.</summary>
public sealed record ConfigDeclaration(string Key, string Type, bool Secret);
