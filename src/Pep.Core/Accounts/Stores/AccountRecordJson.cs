using System.Text.Json;

namespace Pep.Core.Accounts.Stores;

/// <summary>How account records and login states are written as etcd values (JSON; bytes in base64).</summary>
internal static class AccountRecordJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] Serialize(AccountRecord record)
        => JsonSerializer.SerializeToUtf8Bytes(
            new StoredAccount(record.User, record.Verifier.Salt, record.Verifier.Iterations, record.Verifier.Hash, record.CreatedUtc, record.PasswordChangedUtc, record.Signature),
            Options);

    public static AccountRecord Deserialize(byte[] value)
    {
        StoredAccount stored = JsonSerializer.Deserialize<StoredAccount>(value, Options)
            ?? throw new JsonException("An empty account record.");
        return new AccountRecord(stored.User, new PasswordVerifier(stored.Salt, stored.Iterations, stored.Hash), stored.CreatedUtc, stored.PasswordChangedUtc, stored.Signature);
    }

    public static byte[] Serialize(LoginState state)
        => JsonSerializer.SerializeToUtf8Bytes(new StoredLoginState(state.ConsecutiveFailures, state.LockedUntilUtc), Options);

    public static LoginState DeserializeLoginState(byte[] value)
    {
        StoredLoginState stored = JsonSerializer.Deserialize<StoredLoginState>(value, Options)
            ?? throw new JsonException("An empty login state.");
        return new LoginState(stored.Failures, stored.LockedUntilUtc);
    }

    private sealed record StoredAccount(string User, byte[] Salt, int Iterations, byte[] Hash, DateTimeOffset CreatedUtc, DateTimeOffset PasswordChangedUtc, byte[] Signature);

    private sealed record StoredLoginState(int Failures, DateTimeOffset? LockedUntilUtc);
}
