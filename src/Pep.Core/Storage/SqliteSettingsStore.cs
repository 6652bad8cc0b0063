using Microsoft.Data.Sqlite;
using Pep.Core.Platform;

namespace Pep.Core.Storage;

/// <summary>
/// Stamp settings in the embedded database (the account database of the state directory, table
/// <c>settings</c>), for instances on one host. The version counts writes.
/// </summary>
public sealed class SqliteSettingsStore : ISettingsStore
{
    private readonly SqliteDatabase _database;

    public SqliteSettingsStore(string databasePath)
        => _database = new SqliteDatabase(databasePath, "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL);");

    public SettingValue? Get(string key)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT value, version FROM settings WHERE key = $key;";
        command.Parameters.AddWithValue("$key", SettingKey.Check(key));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? new SettingValue(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public IReadOnlyDictionary<string, string> List(string prefix = "")
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        // substr, not LIKE: '_' and '%' are wildcards for LIKE and legal in keys.
        command.CommandText = "SELECT key, value FROM settings WHERE substr(key, 1, length($prefix)) = $prefix;";
        command.Parameters.AddWithValue("$prefix", SettingKey.CheckPrefix(prefix));
        using SqliteDataReader reader = command.ExecuteReader();
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    public void Set(string key, string value)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO settings (key, value, version) VALUES ($key, $value, 1)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = settings.version + 1;
            """;
        command.Parameters.AddWithValue("$key", SettingKey.Check(key));
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    public bool TrySet(string key, string value, long expectedVersion)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        if (expectedVersion == 0)
        {
            command.CommandText = "INSERT INTO settings (key, value, version) VALUES ($key, $value, 1) ON CONFLICT(key) DO NOTHING;";
        }
        else
        {
            command.CommandText = "UPDATE settings SET value = $value, version = version + 1 WHERE key = $key AND version = $expected;";
        }

        command.Parameters.AddWithValue("$key", SettingKey.Check(key));
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return command.ExecuteNonQuery() == 1;
    }

    public bool Remove(string key)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM settings WHERE key = $key;";
        command.Parameters.AddWithValue("$key", SettingKey.Check(key));
        return command.ExecuteNonQuery() == 1;
    }

    private SqliteConnection Open() => _database.Open();
}
