using System.Runtime.InteropServices;

namespace Fleet.Gateway.Tests.Support;

/// <summary>The two ways the stack changes the gateway's files under a running gateway (issue 11).</summary>
public static class StackFiles
{
    /// <summary>Swarm: written on the manager over SSH as <c>cat &gt; path.tmp &amp;&amp; mv path.tmp path</c> (a rename) into a bind-mounted folder.</summary>
    public static void SwarmWrite(string path, string content)
    {
        File.WriteAllText(path + ".tmp", content);
        File.Move(path + ".tmp", path, overwrite: true); // rename(2)
    }

    /// <summary>
    /// k3s: a Secret mounted as a folder the way kubelet lays it out: <c>name -&gt; ..data/name</c>,
    /// <c>..data -&gt; ..&lt;timestamp&gt;</c>. Returns the path to give the gateway (<c>folder/name</c>).
    /// </summary>
    public static string KubeletCreate(string folder, string name, string? content = null)
    {
        Directory.CreateDirectory(folder);
        var first = Path.Combine(folder, "..2026_11_29_09_00_00.000000001");
        Directory.CreateDirectory(first);
        if (content is not null) File.WriteAllText(Path.Combine(first, name), content);
        File.CreateSymbolicLink(Path.Combine(folder, "..data"), Path.GetFileName(first));
        File.CreateSymbolicLink(Path.Combine(folder, name), $"..data/{name}");
        return Path.Combine(folder, name);
    }

    /// <summary>What kubelet does on a Secret update: a new timestamped folder, <c>..data</c> re-pointed by a rename, the old folder deleted.</summary>
    public static void KubeletUpdate(string folder, string name, string content)
    {
        var old = Directory.ResolveLinkTarget(Path.Combine(folder, "..data"), returnFinalTarget: false)!.Name;
        var next = $"..2026_11_29_09_05_00.{Environment.TickCount64:D9}";
        Directory.CreateDirectory(Path.Combine(folder, next));
        File.WriteAllText(Path.Combine(folder, next, name), content);
        File.CreateSymbolicLink(Path.Combine(folder, "..data_tmp"), next);
        if (Rename(Path.Combine(folder, "..data_tmp"), Path.Combine(folder, "..data")) != 0)
            throw new IOException($"rename ..data_tmp -> ..data failed: errno {Marshal.GetLastPInvokeError()}");
        Directory.Delete(Path.Combine(folder, old), recursive: true);
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);
}
