using Microsoft.Data.Sqlite;

namespace Fleet.Stacks.Persistence;

/// <summary>
/// The embedded SQLite database (WAL, one file). Every accepted request is committed here before the 202 goes out.
/// Those who outgrow one file move the same tables to PostgreSQL (README, "Database").
/// </summary>
public sealed class StacksDatabase
{
    private readonly string _connectionString;

    public StacksDatabase(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, Schema);
    }

    /// <summary>
    /// Serialises this process's write transactions: SQLite allows one writer anyway, and waiting here is cheaper
    /// and fairer than SQLite's busy handler, which sleeps in growing steps.
    /// </summary>
    public Lock WriteGate { get; } = new();

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        return connection;
    }

    /// <summary>Throws when the database cannot be read (for <c>/health</c>).</summary>
    public void Ping()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM operations WHERE 0";
        command.ExecuteScalar();
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS deliveries (
            id TEXT PRIMARY KEY, operation_id TEXT NOT NULL, received_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            id TEXT PRIMARY KEY, stack TEXT NOT NULL, state TEXT NOT NULL, started_at INTEGER NOT NULL,
            finished_at INTEGER, commands TEXT NOT NULL DEFAULT '[]', progress TEXT, summary TEXT, error TEXT);
        CREATE TABLE IF NOT EXISTS operations (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL, stack TEXT NOT NULL, pool TEXT NOT NULL,
            requested INTEGER, target INTEGER, node TEXT, reason TEXT, state TEXT NOT NULL, error TEXT,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, run_id TEXT REFERENCES runs(id), resumes INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS operations_pending ON operations(stack, state);
        CREATE TABLE IF NOT EXISTS desired (
            stack TEXT NOT NULL, pool TEXT NOT NULL, nodes INTEGER NOT NULL, operation_id TEXT NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (stack, pool));
        CREATE TABLE IF NOT EXISTS deployed (
            stack TEXT PRIMARY KEY, pools TEXT NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS children (
            id INTEGER PRIMARY KEY AUTOINCREMENT, stack TEXT, pid INTEGER NOT NULL, process_started INTEGER NOT NULL,
            command TEXT NOT NULL, started_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS replacements (
            operation_id TEXT PRIMARY KEY, new_node TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS owed (
            stack TEXT PRIMARY KEY, reason TEXT NOT NULL, since INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS autoscale_paused (
            stack TEXT NOT NULL, pool TEXT NOT NULL, operation_id TEXT NOT NULL, since INTEGER NOT NULL,
            PRIMARY KEY (stack, pool));
        CREATE TABLE IF NOT EXISTS node_ids (
            stack TEXT NOT NULL, pool TEXT NOT NULL, id TEXT NOT NULL, added_at INTEGER NOT NULL, removed_at INTEGER,
            PRIMARY KEY (stack, pool, id));
        """;
}
