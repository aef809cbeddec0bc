using System.Globalization;
using Fleet.Infra.Cli;
using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Git;
using Fleet.Stacks.Webhooks;

namespace Fleet.Stacks.Hosting;

/// <summary>Reads <see cref="StacksOptions"/> from <c>FLEET_</c> variables, collecting every problem (README has the table).</summary>
public static class StacksOptionsReader
{
    public static StacksOptions? Read(Func<string, string?> env, List<string> errors)
    {
        string? Get(string name) => env(name) is { Length: > 0 } v ? v.Trim() : null;
        string? Secret(string name) => Get(name + "_FILE") is { } file ? ReadFile(file, name + "_FILE", errors) : Get(name);

        var projectDir = Get("FLEET_PROJECT_DIR");
        var database = Get("FLEET_DATABASE") ?? "/var/lib/fleet-stacks/stacks.db";
        var git = GitOptionsReader.Read(Get, projectDir, database, errors);
        if (projectDir is null) errors.Add("FLEET_PROJECT_DIR is required: the Pulumi project working copy (the folder with Pulumi.yaml)");
        else if (git is null && Get("FLEET_GIT_URL") is not null) projectDir = null; // git settings refused: no checkout to look at
        else if (git is not null && GitRepository.PrepareAtStart(git, projectDir) is { } gitError) { errors.Add(gitError); projectDir = null; }
        else if (!File.Exists(Path.Combine(projectDir, "Pulumi.yaml")))
            errors.Add($"FLEET_PROJECT_DIR={projectDir} has no Pulumi.yaml" + (git is null ? "" : $" (FLEET_GIT_URL={git.Url} at {git.Ref} must hold the Pulumi project at its root)"));
        var stacks = (Get("FLEET_STACKS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (stacks.Length == 0) errors.Add("FLEET_STACKS is required: the stacks this instance scales, comma-separated (e.g. prod)");
        else if (projectDir is not null)
            foreach (var stack in stacks.Where(s => !File.Exists(Path.Combine(projectDir, $"Pulumi.{s}.yaml"))))
                errors.Add($"FLEET_STACKS names {stack} but {Path.Combine(projectDir, $"Pulumi.{stack}.yaml")} does not exist (pulumi stack init {stack})");

        var secrets = new List<WebhookSecret>();
        foreach (var name in new[] { "FLEET_WEBHOOK_SECRET", "FLEET_WEBHOOK_SECRET_PREVIOUS" })
        {
            if (Secret(name) is not { } text) continue;
            try
            {
                if (WebhookSecret.Weakness(text) is { } weak) errors.Add($"{name}: {weak}");
                else secrets.Add(WebhookSecret.Parse(text));
            }
            catch (FormatException e) { errors.Add($"{name}: {e.Message}"); }
        }
        if (Secret("FLEET_WEBHOOK_SECRET") is null) errors.Add($"FLEET_WEBHOOK_SECRET (or FLEET_WEBHOOK_SECRET_FILE) is required: whsec_<base64 of at least 24 random bytes> ({WebhookSecret.GenerateHint})");

        Uri? gateway = null;
        if (Get("FLEET_GATEWAY_URL") is { } url)
        {
            if (Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var u) && u.Scheme is "http" or "https") gateway = u;
            else errors.Add($"FLEET_GATEWAY_URL={url} must be an http(s) URL such as http://gateway:8080");
        }
        var token = Secret("FLEET_GATEWAY_TOKEN");
        if (gateway is not null && token is null) errors.Add("FLEET_GATEWAY_TOKEN (or FLEET_GATEWAY_TOKEN_FILE) is required with FLEET_GATEWAY_URL: the gateway's admin token");

        var pulumiEnv = (Get("FLEET_PULUMI_ENV") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in pulumiEnv.Where(n => n.StartsWith("FLEET_WEBHOOK_SECRET", StringComparison.Ordinal) || n.StartsWith("FLEET_GATEWAY_TOKEN", StringComparison.Ordinal)))
            errors.Add($"FLEET_PULUMI_ENV names {name}: the service's own secrets are never passed to pulumi; remove it from the list");

        var logFormat = Get("FLEET_LOG_FORMAT") ?? StacksLogging.Json;
        if (logFormat is not (StacksLogging.Json or StacksLogging.Text))
            errors.Add($"FLEET_LOG_FORMAT={logFormat} must be json (one JSON object per line, the default) or text");

        TimeSpan Seconds(string name, double fallback)
        {
            if (Get(name) is not { } text) return TimeSpan.FromSeconds(fallback);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0) return TimeSpan.FromSeconds(v);
            errors.Add($"{name}={text} must be a number of seconds >= 0");
            return TimeSpan.FromSeconds(fallback);
        }
        double Number(string name, double fallback)
        {
            if (Get(name) is not { } text) return fallback;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0) return v;
            errors.Add($"{name}={text} must be a number >= 0");
            return fallback;
        }

        var autoscaler = new AutoscalerOptions(
            Number("FLEET_SCALE_QUEUE_PER_NODE", 2), Number("FLEET_SCALE_BUSY_HIGH", 0.85), Number("FLEET_SCALE_TTFT_TARGET_MS", 2000),
            (int)Number("FLEET_SCALE_HOT_WINDOWS", 2), Number("FLEET_SCALE_BUSY_LOW", 0.3), Seconds("FLEET_SCALE_QUIET_SECONDS", 900),
            Seconds("FLEET_SCALE_COOLDOWN_SECONDS", 600), Number("FLEET_SCALE_UP_STEP", 0.5));
        var options = new StacksOptions(
            projectDir ?? "", projectDir is null ? "fleet" : ProjectLocator.ProjectName(projectDir), stacks, secrets, gateway, token,
            database, Get("FLEET_LISTEN") ?? "http://0.0.0.0:8090",
            Seconds("FLEET_WATCH_INTERVAL_SECONDS", 15), Seconds("FLEET_DRAIN_TIMEOUT_SECONDS", 300), Seconds("FLEET_DRAIN_POLL_SECONDS", 2),
            Seconds("FLEET_READY_TIMEOUT_SECONDS", 900), Seconds("FLEET_READY_POLL_SECONDS", 5), Seconds("FLEET_DEAD_GRACE_SECONDS", 300),
            Seconds("FLEET_UP_TIMEOUT_SECONDS", 3600), (int)Number("FLEET_CONFLICT_RETRIES", 6), Seconds("FLEET_CONFLICT_BACKOFF_SECONDS", 5),
            (int)Number("FLEET_MAX_RESUMES", 3), autoscaler,
            TimeSpan.FromMilliseconds(Number("FLEET_COALESCE_MS", 100)), TimeSpan.FromMilliseconds(Number("FLEET_COALESCE_MAX_MS", 1000)), pulumiEnv, logFormat, git);
        return errors.Count == 0 ? options : null;
    }

    private static string? ReadFile(string path, string name, List<string> errors)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException e) { errors.Add($"{name}={path}: {e.Message}"); return null; }
        catch (UnauthorizedAccessException e) { errors.Add($"{name}={path}: {e.Message}"); return null; }
    }
}
