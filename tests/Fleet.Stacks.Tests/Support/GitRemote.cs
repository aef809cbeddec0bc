using System.Diagnostics;

namespace Fleet.Stacks.Tests.Support;

/// <summary>
/// A bare repository on disk standing in for the git host (<c>file://</c> URL), seeded with a Pulumi project: Pulumi.yaml,
/// Pulumi.prod.yaml and a .gitignore for the fake CLI's control files. Commits are made in a seed clone and pushed.
/// </summary>
public sealed class GitRemote : IDisposable
{
    public GitRemote(string prodYaml = TestProject.ProdYaml)
    {
        Root = System.IO.Directory.CreateTempSubdirectory("fleet-stacks-git-").FullName;
        Git(Root, "init", "--quiet", "--bare", "--initial-branch=main", Bare);
        Git(Root, "clone", "--quiet", Url, Seed);
        File.WriteAllText(Path.Combine(Seed, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");
        File.WriteAllText(Path.Combine(Seed, ".gitignore"), ".fake-pulumi/\n");
        Commit("Pulumi.prod.yaml", prodYaml, "the prod stack");
    }

    public string Root { get; }

    public string Bare => Path.Combine(Root, "remote.git");

    public string Url => "file://" + Bare;

    /// <summary>The service's database: outside the clone, which the service cleans.</summary>
    public string Database => Path.Combine(Root, "state", "stacks.db");

    public string Head => Git(Bare, "rev-parse", "refs/heads/main").Trim();

    private string Seed => Path.Combine(Root, "seed");

    /// <summary>Writes a file in the seed clone, commits and pushes it; returns the new commit.</summary>
    public string Commit(string file, string text, string message)
    {
        File.WriteAllText(Path.Combine(Seed, file), text);
        Git(Seed, "add", "--all");
        Git(Seed, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", message);
        Git(Seed, "push", "--quiet", "origin", "HEAD:main");
        return Head;
    }

    /// <summary>Runs git and returns its stdout; throws with its stderr when it fails.</summary>
    public static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git", args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr}");
        return stdout.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
