namespace Fleet.Policy;

/// <summary>Container image references.</summary>
public static class ImageReference
{
    /// <summary>True when the reference names a digest, or a tag other than <c>latest</c>.</summary>
    public static bool IsPinned(string reference)
    {
        if (reference.Contains("@sha256:", StringComparison.Ordinal)) return true;
        var name = reference[(reference.LastIndexOf('/') + 1)..];
        var colon = name.LastIndexOf(':');
        return colon > 0 && colon < name.Length - 1 && name[(colon + 1)..] != "latest";
    }
}
