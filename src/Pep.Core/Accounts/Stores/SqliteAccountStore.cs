using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Pep.Core.Platform;

namespace Pep.Core.Accounts.Stores;

/// <summary>
/// The embedded account store: one SQLite database in WAL mode, shared by the instances of a deployment on
/// one host. Every statement is parameterised; every multi-step change runs in an immediate transaction so
/// that two instances cannot interleave (the last-account rule, failed-login counts).
/// </summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private readonly SqliteDatabase _database;

    public SqliteAccountStore(string databasePath)
    {
        _database = new SqliteDatabase(databasePath, """
            CREATE TABLE IF NOT EXISTS accounts (
                user TEXT PRIMARY KEY NOT NULL,
                version INTEGER NOT NULL,
                status INTEGER NOT NULL,
                salt BLOB NOT NULL,
                iterations INTEGER NOT NULL,
                hash BLOB NOT NULL,
                created_utc TEXT NOT NULL,
                password_changed_utc TEXT NOT NULL,
                signature BLOB NOT NULL,
                ssh_keys TEXT NOT NULL DEFAULT '');
            CREATE TABLE IF NOT EXISTS failed_logins (
                user TEXT PRIMARY KEY NOT NULL,
                count INTEGER NOT NULL,
                window_start_utc TEXT NOT NULL);
            """);
        AddSshKeysColumn();
    }

    public AccountRecord? Find(string user)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT user, version, status, salt, iterations, hash, created_utc, password_changed_utc, signature, ssh_keys FROM accounts WHERE user = $user;";
        command.Parameters.AddWithValue("$user", user);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadRecord(reader) : null;
    }

    public IReadOnlyList<AccountRecord> List()
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT user, version, status, salt, iterations, hash, created_utc, password_changed_utc, signature, ssh_keys FROM accounts ORDER BY user;";
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
            INSERT INTO accounts (user, version, status, salt, iterations, hash, created_utc, password_changed_utc, signature, ssh_keys)
            VALUES ($user, $version, $status, $salt, $iterations, $hash, $created, $changed, $signature, $sshKeys)
            ON CONFLICT(user) DO UPDATE SET version = excluded.version, status = excluded.status, salt = excluded.salt,
                iterations = excluded.iterations, hash = excluded.hash, created_utc = excluded.created_utc,
                password_changed_utc = excluded.password_changed_utc, signature = excluded.signature, ssh_keys = excluded.ssh_keys
            WHERE accounts.status = $removed AND accounts.version < excluded.version;
            """;
        AddRecordParameters(command, record);
        command.Parameters.AddWithValue("$removed", (int)AccountStatus.Removed);
        return command.ExecuteNonQuery() == 1;
    }

    public bool TryReplace(AccountRecord record, byte[] expectedSignature)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"""
            {UpdateRecord}
            WHERE user = $user AND signature = $expected;
            """;
        AddRecordParameters(command, record);
        command.Parameters.AddWithValue("$expected", expectedSignature);
        return command.ExecuteNonQuery() == 1;
    }

    public AccountRemoval TryRemove(AccountRecord tombstone, byte[] expectedSignature)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        (string, object) removed = ("$removed", (int)AccountStatus.Removed);
        long live = (long)Scalar(connection, transaction, "SELECT COUNT(*) FROM accounts WHERE status <> $removed;", removed)!;
        object? signature = Scalar(connection, transaction, "SELECT signature FROM accounts WHERE user = $user AND status <> $removed;", ("$user", tombstone.User), removed);
        if (signature is not byte[] current)
        {
            return AccountRemoval.NotFound;
        }

        if (!current.AsSpan().SequenceEqual(expectedSignature))
        {
            return AccountRemoval.Changed;
        }

        if (live <= 1)
        {
            return AccountRemoval.LastAccount;
        }

        using (SqliteCommand update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = UpdateRecord + " WHERE user = $user;";
            AddRecordParameters(update, tombstone);
            update.ExecuteNonQuery();
        }

        Scalar(connection, transaction, "DELETE FROM failed_logins WHERE user = $user;", ("$user", tombstone.User));
        transaction.Commit();
        return AccountRemoval.Removed;
    }

    public FailedAttempts? GetFailedAttempts(string user)
    {
        using SqliteConnection connection = Open();
        return ReadFailedAttempts(connection, null, user);
    }

    public FailedAttempts RecordFailure(string user, DateTimeOffset nowUtc, AccountAttemptBudget budget)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        FailedAttempts next = budget.AfterFailure(ReadFailedAttempts(connection, transaction, user), nowUtc);
        Scalar(connection, transaction, """
            INSERT INTO failed_logins (user, count, window_start_utc) VALUES ($user, $count, $start)
            ON CONFLICT(user) DO UPDATE SET count = excluded.count, window_start_utc = excluded.window_start_utc;
            """,
            ("$user", user),
            ("$count", next.Count),
            ("$start", FormatTime(next.WindowStartUtc)));
        transaction.Commit();
        return next;
    }

    public void RecordSuccess(string user)
    {
        using SqliteConnection connection = Open();
        Scalar(connection, null, "DELETE FROM failed_logins WHERE user = $user;", ("$user", user));
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    private SqliteConnection Open() => _database.Open();

    private const string UpdateRecord = """
        UPDATE accounts SET version = $version, status = $status, salt = $salt, iterations = $iterations, hash = $hash,
            created_utc = $created, password_changed_utc = $changed, signature = $signature, ssh_keys = $sshKeys
        """;

    private static FailedAttempts? ReadFailedAttempts(SqliteConnection connection, SqliteTransaction? transaction, string user)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count, window_start_utc FROM failed_logins WHERE user = $user;";
        command.Parameters.AddWithValue("$user", user);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? new FailedAttempts(reader.GetInt32(0), ParseTime(reader.GetString(1))) : null;
    }

    private static AccountRecord ReadRecord(SqliteDataReader reader)
        => new(
            reader.GetString(0),
            reader.GetInt64(1),
            (AccountStatus)reader.GetInt32(2),
            new PasswordVerifier((byte[])reader[3], reader.GetInt32(4), (byte[])reader[5]),
            ParseTime(reader.GetString(6)),
            ParseTime(reader.GetString(7)),
            (byte[])reader[8])
        { SshKeys = AccountRecord.ParseKeys(reader.GetString(9)) };

    private static void AddRecordParameters(SqliteCommand command, AccountRecord record)
    {
        command.Parameters.AddWithValue("$user", record.User);
        command.Parameters.AddWithValue("$version", record.Version);
        command.Parameters.AddWithValue("$status", (int)record.Status);
        command.Parameters.AddWithValue("$salt", record.Verifier.Salt);
        command.Parameters.AddWithValue("$iterations", record.Verifier.Iterations);
        command.Parameters.AddWithValue("$hash", record.Verifier.Hash);
        command.Parameters.AddWithValue("$created", FormatTime(record.CreatedUtc));
        command.Parameters.AddWithValue("$changed", FormatTime(record.PasswordChangedUtc));
        command.Parameters.AddWithValue("$signature", record.Signature);
        command.Parameters.AddWithValue("$sshKeys", AccountRecord.FormatKeys(record.SshKeys));
    }

    /// <summary>A store made before accounts carried SSH keys gets the column (empty: no keys, the record's signed form unchanged).</summary>
    private void AddSshKeysColumn()
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        if ((long)Scalar(connection, transaction, "SELECT COUNT(*) FROM pragma_table_info('accounts') WHERE name = 'ssh_keys';")! == 0)
        {
            Scalar(connection, transaction, "ALTER TABLE accounts ADD COLUMN ssh_keys TEXT NOT NULL DEFAULT '';");
        }

        transaction.Commit();
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

    private static void Execute(SqliteConnection connection, string sql) => SqliteDatabase.Execute(connection, sql);

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text)
        => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
