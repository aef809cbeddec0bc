namespace Fleet.Infra.Configuration;

/// <summary>Stable diagnostic codes for configuration problems (tests and docs refer to them).</summary>
public static class ConfigCodes
{
    public const string Missing = "FLEET001";
    public const string WrongType = "FLEET002";
    public const string NotAllowed = "FLEET003";
    public const string OutOfRange = "FLEET004";
    public const string BadFormat = "FLEET005";
    public const string UnknownSize = "FLEET006";
    public const string Duplicate = "FLEET007";
    public const string NotSecret = "FLEET008";
    public const string UnknownKey = "FLEET009";
    public const string Conflict = "FLEET010";
    public const string Unsupported = "FLEET011";
    public const string NoApiKeys = "FLEET012";
    public const string Placeholder = "FLEET013";
}
