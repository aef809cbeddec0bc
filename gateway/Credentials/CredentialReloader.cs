using System.Text;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Jwt;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Registry;

namespace Fleet.Gateway.Credentials;

/// <summary>
/// Loads the API keys, node credentials, admin token and (when set) JWT issuers files at start and re-reads them every
/// <see cref="GatewayOptions.FileReloadInterval"/>. A broken file keeps the previous content in force; a node
/// removed from the nodes file is forgotten at once (its credential is revoked).
/// </summary>
public sealed class CredentialReloader(
    GatewayOptions options, ApiKeyStore keys, NodeCredentialStore nodes, AdminTokenStore admin, JwtIssuerStore issuers, NodeRegistry registry,
    TimeProvider time, ILogger<CredentialReloader> logger) : IHostedService, IDisposable
{
    private readonly WatchedFile _keysFile = new(options.ApiKeysFile);
    private readonly WatchedFile _nodesFile = new(options.NodesFile);
    private readonly WatchedFile _adminFile = new(options.AdminTokenFile);
    private readonly WatchedFile? _issuersFile = issuers.Enabled ? new(options.JwtIssuersFile) : null;
    private readonly Lock _lock = new();
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Reload();
        _timer = time.CreateTimer(_ => Reload(), null, options.FileReloadInterval, options.FileReloadInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    /// <summary>Re-reads all the files now.</summary>
    public void Reload()
    {
        lock (_lock)
        {
            Load(_keysFile, "FLEET_API_KEYS_FILE", ApiKeyStore.Parse, keys.Replace);
            Load(_nodesFile, "FLEET_NODES_FILE", NodeCredentialStore.Parse, list =>
            {
                nodes.Replace(list);
                registry.Retain(list);
            });
            // Also on every poll: catches a heartbeat that was authenticated just before a revocation applied.
            if (nodes.Loaded) registry.Retain(nodes.Nodes);
            LoadAdminToken();
            if (_issuersFile is not null) Load(_issuersFile, "FLEET_JWT_ISSUERS_FILE", JwtIssuersParser.Parse, issuers.Replace);
        }
    }

    private void Load<T>(WatchedFile file, string variable, Func<byte[], List<string>, IReadOnlyList<T>?> parse, Action<IReadOnlyList<T>> apply)
    {
        byte[] content;
        try
        {
            if (!file.TryReadChanged(out content)) return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.FileProblem(logger, variable, $"cannot read '{file.Path}': {e.Message}");
            return;
        }
        var errors = new List<string>();
        var parsed = parse(content, errors);
        foreach (var error in errors) GatewayLog.FileProblem(logger, variable, error);
        if (parsed is null) return;
        file.Accept(content);
        apply(parsed);
        GatewayLog.FileLoaded(logger, variable, parsed.Count);
    }

    private void LoadAdminToken()
    {
        try
        {
            if (!_adminFile.TryReadChanged(out var content)) return;
            if (admin.Replace(Encoding.UTF8.GetString(content))) _adminFile.Accept(content);
            else GatewayLog.FileProblem(logger, "FLEET_ADMIN_TOKEN_FILE", $"'{_adminFile.Path}' is empty; write the admin token into it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.FileProblem(logger, "FLEET_ADMIN_TOKEN_FILE", $"cannot read '{_adminFile.Path}': {e.Message}");
        }
    }

    public void Dispose() => _timer?.Dispose();
}
