using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Pep.Core.Platform;

/// <summary>
/// One embedded SQLite database file as the endpoint uses it: pooled connections that wait up to 30 s for a
/// lock held by another instance or process (the account store is shared by the instances of one host), and
/// write-ahead logging so that readers never wait for a writer.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    /// <summary>Opens (creating it when missing) the database at <paramref name="path"/> in WAL mode and runs <paramref name="schema"/> (constant SQL).</summary>
    public SqliteDatabase(string path, string schema)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, schema);
    }

    /// <summary>A new open connection; the caller disposes it.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>Runs a statement without parameters; only for constant SQL.</summary>
    [SuppressMessage("Security", "CA2100", Justification = "Callers pass constant SQL only; values always travel as parameters.")]
    public static void Execute(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
