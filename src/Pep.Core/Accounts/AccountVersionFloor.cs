using Microsoft.Data.Sqlite;
using Pep.Core.Platform;

namespace Pep.Core.Accounts;

/// <summary>
/// The highest version of each account's record this instance has seen, kept in the instance's own state
/// (a small SQLite file beside its signing key, never in the shared store): a record older than it, an old
/// password or a record from before a removal written back into the store, is refused. Only records whose
/// signature verifies raise it, so whoever can write the store but lacks the stamp key can neither raise it
/// (to lock accounts out) nor lower it. It survives restarts; the gateway and the account cmdlets of the
/// instance's sessions share it.
/// </summary>
public sealed class AccountVersionFloor
{
    private readonly SqliteDatabase _database;

    public AccountVersionFloor(string databasePath)
        => _database = new SqliteDatabase(databasePath, "CREATE TABLE IF NOT EXISTS seen (user TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL);");

    /// <summary>The highest version seen for <paramref name="user"/>; 0 when none was.</summary>
    public long Of(string user)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM seen WHERE user = $user;";
        command.Parameters.AddWithValue("$user", user);
        return command.ExecuteScalar() is long version ? version : 0;
    }

    /// <summary>Records that a trusted record of <paramref name="version"/> was seen; never lowers what is kept.</summary>
    public void Raise(string user, long version)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO seen (user, version) VALUES ($user, $version)
            ON CONFLICT(user) DO UPDATE SET version = excluded.version WHERE excluded.version > seen.version;
            """;
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$version", version);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open() => _database.Open();
}
