using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pep.Core.Accounts.Stores;

/// <summary>
/// The embedded account store: one SQLite database in WAL mode, shared by the instances of a deployment on
/// one host. Every statement is parameterised; every multi-step change runs in an immediate transaction so
/// that two instances cannot interleave (the last-account rule, lockout counters).
/// </summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private readonly string _connectionString;

    public SqliteAccountStore(string databasePath)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using SqliteConnection connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS accounts (
                user TEXT PRIMARY KEY NOT NULL,
                salt BLOB NOT NULL,
                iterations INTEGER NOT NULL,
                hash BLOB NOT NULL,
                created_utc TEXT NOT NULL,
                password_changed_utc TEXT NOT NULL,
                signature BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS login_state (
                user TEXT PRIMARY KEY NOT NULL,
                failures INTEGER NOT NULL,
                locked_until_utc TEXT NULL);
            """);
    }

    public AccountRecord? Find(string user)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT user, salt, iterations, hash, created_utc, password_changed_utc, signature FROM accounts WHERE user = $user;";
        command.Parameters.AddWithValue("$user", user);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadRecord(reader) : null;
    }

    public IReadOnlyList<AccountRecord> List()
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT user, salt, iterations, hash, created_utc, password_changed_utc, signature FROM accounts ORDER BY user;";
        using SqliteDataReader reader = command.ExecuteReader();
        var records = new List<AccountRecord>();
        while (reader.Read())
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    public bool TryAdd(AccountRecord record)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accounts (user, salt, iterations, hash, created_utc, password_changed_utc, signature)
            VALUES ($user, $salt, $iterations, $hash, $created, $changed, $signature)
            ON CONFLICT(user) DO NOTHING;
            """;
        AddRecordParameters(command, record);
        return command.ExecuteNonQuery() == 1;
    }

    public bool TryReplace(AccountRecord record, byte[] expectedSignature)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            UPDATE accounts SET salt = $salt, iterations = $iterations, hash = $hash, created_utc = $created,
                password_changed_utc = $changed, signature = $signature
            WHERE user = $user AND signature = $expected;
            """;
        AddRecordParameters(command, record);
        command.Parameters.AddWithValue("$expected", expectedSignature);
        return command.ExecuteNonQuery() == 1;
    }

    public AccountRemoval TryRemove(string user)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        long count = (long)Scalar(connection, transaction, "SELECT COUNT(*) FROM accounts;")!;
        long exists = (long)Scalar(connection, transaction, "SELECT COUNT(*) FROM accounts WHERE user = $user;", ("$user", user))!;
        if (exists == 0)
        {
            return AccountRemoval.NotFound;
        }

        if (count <= 1)
        {
            return AccountRemoval.LastAccount;
        }

        Scalar(connection, transaction, "DELETE FROM accounts WHERE user = $user;", ("$user", user));
        Scalar(connection, transaction, "DELETE FROM login_state WHERE user = $user;", ("$user", user));
        transaction.Commit();
        return AccountRemoval.Removed;
    }

    public LoginState GetLoginState(string user)
    {
        using SqliteConnection connection = Open();
        return ReadLoginState(connection, null, user);
    }

    public LoginState RecordFailure(string user, DateTimeOffset nowUtc, LockoutPolicy policy)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        LoginState current = ReadLoginState(connection, transaction, user);
        int failures = current.ConsecutiveFailures + 1;
        DateTimeOffset? lockedUntil = policy.LockAfter(failures, nowUtc) ?? current.LockedUntilUtc;
        Scalar(connection, transaction, """
            INSERT INTO login_state (user, failures, locked_until_utc) VALUES ($user, $failures, $locked)
            ON CONFLICT(user) DO UPDATE SET failures = excluded.failures, locked_until_utc = excluded.locked_until_utc;
            """,
            ("$user", user),
            ("$failures", failures),
            ("$locked", lockedUntil is { } l ? FormatTime(l) : DBNull.Value));
        transaction.Commit();
        return new LoginState(failures, lockedUntil);
    }

    public void RecordSuccess(string user)
    {
        using SqliteConnection connection = Open();
        Scalar(connection, null, "DELETE FROM login_state WHERE user = $user;", ("$user", user));
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=30000;");
        return connection;
    }

    private static LoginState ReadLoginState(SqliteConnection connection, SqliteTransaction? transaction, string user)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT failures, locked_until_utc FROM login_state WHERE user = $user;";
        command.Parameters.AddWithValue("$user", user);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return LoginState.Clean;
        }

        DateTimeOffset? lockedUntil = reader.IsDBNull(1) ? null : ParseTime(reader.GetString(1));
        return new LoginState(reader.GetInt32(0), lockedUntil);
    }

    private static AccountRecord ReadRecord(SqliteDataReader reader)
        => new(
            reader.GetString(0),
            new PasswordVerifier((byte[])reader[1], reader.GetInt32(2), (byte[])reader[3]),
            ParseTime(reader.GetString(4)),
            ParseTime(reader.GetString(5)),
            (byte[])reader[6]);

    private static void AddRecordParameters(SqliteCommand command, AccountRecord record)
    {
        command.Parameters.AddWithValue("$user", record.User);
        command.Parameters.AddWithValue("$salt", record.Verifier.Salt);
        command.Parameters.AddWithValue("$iterations", record.Verifier.Iterations);
        command.Parameters.AddWithValue("$hash", record.Verifier.Hash);
        command.Parameters.AddWithValue("$created", FormatTime(record.CreatedUtc));
        command.Parameters.AddWithValue("$changed", FormatTime(record.PasswordChangedUtc));
        command.Parameters.AddWithValue("$signature", record.Signature);
    }

    [SuppressMessage("Security", "CA2100", Justification = "Callers pass constant SQL; values travel as parameters.")]
    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    [SuppressMessage("Security", "CA2100", Justification = "Callers pass constant SQL.")]
    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text)
        => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
