using System.Text.Json;

namespace Pep.Core.Accounts.Stores;

/// <summary>How account records and failed-login counts are written as etcd values (JSON; bytes in base64).</summary>
internal static class AccountRecordJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A record without keys is written exactly as before accounts carried keys.
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize(AccountRecord record)
        => JsonSerializer.SerializeToUtf8Bytes(
            new StoredAccount(record.User, record.Version, record.Status, record.Verifier.Salt, record.Verifier.Iterations, record.Verifier.Hash, record.CreatedUtc, record.PasswordChangedUtc, record.Signature,
                record.SshKeys.Count == 0 ? null : AccountRecord.FormatKeys(record.SshKeys)),
            Options);

    public static AccountRecord Deserialize(byte[] value)
    {
        StoredAccount stored = JsonSerializer.Deserialize<StoredAccount>(value, Options)
            ?? throw new JsonException("An empty account record.");
        return new AccountRecord(stored.User, stored.Version, stored.Status, new PasswordVerifier(stored.Salt, stored.Iterations, stored.Hash), stored.CreatedUtc, stored.PasswordChangedUtc, stored.Signature)
        {
            SshKeys = AccountRecord.ParseKeys(stored.SshKeys),
        };
    }

    public static byte[] Serialize(FailedAttempts attempts)
        => JsonSerializer.SerializeToUtf8Bytes(new StoredFailedAttempts(attempts.Count, attempts.WindowStartUtc), Options);

    public static FailedAttempts DeserializeFailedAttempts(byte[] value)
    {
        StoredFailedAttempts stored = JsonSerializer.Deserialize<StoredFailedAttempts>(value, Options)
            ?? throw new JsonException("An empty failed-login count.");
        return new FailedAttempts(stored.Count, stored.WindowStartUtc);
    }

    private sealed record StoredAccount(string User, long Version, AccountStatus Status, byte[] Salt, int Iterations, byte[] Hash, DateTimeOffset CreatedUtc, DateTimeOffset PasswordChangedUtc, byte[] Signature, string? SshKeys = null);

    private sealed record StoredFailedAttempts(int Count, DateTimeOffset WindowStartUtc);
}
