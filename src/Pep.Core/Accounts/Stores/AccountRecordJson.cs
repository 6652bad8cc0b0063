using System.Text.Json;

namespace Pep.Core.Accounts.Stores;

/// <summary>How account records and failed-login counts are written as etcd values (JSON; bytes in base64).</summary>
internal static class AccountRecordJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] Serialize(AccountRecord record)
        => JsonSerializer.SerializeToUtf8Bytes(
            new StoredAccount(record.User, record.Version, record.Status, record.Verifier.Salt, record.Verifier.Iterations, record.Verifier.Hash, record.CreatedUtc, record.PasswordChangedUtc, record.Signature),
            Options);

    public static AccountRecord Deserialize(byte[] value)
    {
        StoredAccount stored = JsonSerializer.Deserialize<StoredAccount>(value, Options)
            ?? throw new JsonException("An empty account record.");
        return new AccountRecord(stored.User, stored.Version, stored.Status, new PasswordVerifier(stored.Salt, stored.Iterations, stored.Hash), stored.CreatedUtc, stored.PasswordChangedUtc, stored.Signature);
    }

    public static byte[] Serialize(FailedAttempts attempts)
        => JsonSerializer.SerializeToUtf8Bytes(new StoredFailedAttempts(attempts.Count, attempts.WindowStartUtc), Options);

    public static FailedAttempts DeserializeFailedAttempts(byte[] value)
    {
        StoredFailedAttempts stored = JsonSerializer.Deserialize<StoredFailedAttempts>(value, Options)
            ?? throw new JsonException("An empty failed-login count.");
        return new FailedAttempts(stored.Count, stored.WindowStartUtc);
    }

    private sealed record StoredAccount(string User, long Version, AccountStatus Status, byte[] Salt, int Iterations, byte[] Hash, DateTimeOffset CreatedUtc, DateTimeOffset PasswordChangedUtc, byte[] Signature);

    private sealed record StoredFailedAttempts(int Count, DateTimeOffset WindowStartUtc);
}
