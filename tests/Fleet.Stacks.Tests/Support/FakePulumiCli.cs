namespace Fleet.Stacks.Tests.Support;

/// <summary>
/// Puts the fake <c>pulumi</c> (FakePulumi.dll, built with this project) behind a small shell script and points
/// <c>PULUMI_BINARY</c> at it, so the service's real <c>LocalPulumiCommand</c> runs it like the real CLI.
/// </summary>
public static class FakePulumiCli
{
    private static readonly Lazy<string> Script = new(Create);

    public static string Path => Script.Value;

    public static void Install() => Environment.SetEnvironmentVariable("PULUMI_BINARY", Script.Value);

    private static string Create()
    {
        var dll = System.IO.Path.Combine(AppContext.BaseDirectory, "FakePulumi.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("FakePulumi.dll was not built next to the tests", dll);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Environment.ProcessPath is { } p && System.IO.Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var dir = Directory.CreateTempSubdirectory("fake-pulumi-bin-").FullName;
        var script = System.IO.Path.Combine(dir, "pulumi");
        File.WriteAllText(script, $"#!/bin/sh\nDOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=1 exec \"{dotnet}\" \"{dll}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return script;
    }
}
