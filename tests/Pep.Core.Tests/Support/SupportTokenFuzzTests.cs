using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Core.Tests.Support;

/// <summary>
/// Random and mutated tokens, a few thousand, through every parser: nothing may escape but
/// <see cref="SupportTokenException"/> (no IndexOutOfRange, no CryptographicException, no hang).
/// Mutations are made both on the text (caught by the checksum) and on the binary with the checksum
/// recomputed; those must get past the checksum and fail where the test meant them to, in decryption or in
/// the field parsers, and through a session only while it still holds its one-time key.
/// </summary>
public sealed class SupportTokenFuzzTests : IClassFixture<AuthorityKeys>, IDisposable
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ \n\t=+/.é\0";
    private readonly Random _random = new(20261125);
    private readonly AuthorityKeys _keys;
    private readonly SupportAuthorityBundle _bundle;
    private readonly SupportSession _session;
    private readonly SupportAuthority _authority;

    public SupportTokenFuzzTests(AuthorityKeys keys)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _keys = keys;
        _bundle = SupportAuthorityBundle.Parse(SupportAuthorityBundle.ToJson(_keys.Encryption, _keys.Signing));
        _session = new SupportSession(_bundle, new SupportSettings(), time);
        _authority = new SupportAuthority(AuthorityKeys.Copy(_keys.Encryption), AuthorityKeys.Copy(_keys.Signing), time);
    }

    [Fact]
    public void Parsers_GivenRandomAndMutatedTokens_ThrowOnlySupportTokenException()
    {
        string request = _session.CreateRequest().Text;
        byte[] requestBody = SupportTokenText.Body(SupportTokenText.DecodeBinary(request, SupportTokenKind.Request)).ToArray();

        // A response sealed to a key this test holds, so that mutated responses reach decryption and parsing.
        SupportGrant grant = _authority.Grant(request, TimeSpan.FromHours(1), "fuzz");
        byte[] responseContent = SupportResponse.Parse(ResponseContentOf(grant)).Serialize();
        byte[] responseBody = HybridEnvelope.Seal(_keys.OtherEncryption, responseContent, SupportTokenText.Header(SupportTokenKind.Response));

        for (int i = 0; i < 1000; i++)
        {
            string text = RandomText(_random.Next(0, 3000));
            Expect(() => SupportTokenText.DecodeBinary(text, SupportTokenKind.Request));
            Expect(() => SupportRequest.Parse(RandomBytes(_random.Next(0, 400))));
            Expect(() => SupportResponse.Parse(RandomBytes(_random.Next(0, 600))));
        }

        for (int i = 0; i < 1000; i++)
        {
            string mutated = MutateText(i % 2 == 0 ? request : grant.ResponseToken);
            Expect(() => SupportTokenText.DecodeBinary(mutated, i % 2 == 0 ? SupportTokenKind.Request : SupportTokenKind.Response));
            Expect(() => _authority.Grant(mutated, TimeSpan.FromHours(1), "fuzz"));
        }

        for (int i = 0; i < 600; i++)
        {
            // The checksum is recomputed: each of these gets past it, into decryption or the field parsers.
            string mutatedRequest = SupportTokenText.Encode(SupportTokenKind.Request, Mutated(requestBody));
            Assert.Equal(SupportTokenFailure.Invalid, Expect(() => _authority.Grant(mutatedRequest, TimeSpan.FromHours(1), "fuzz")));

            byte[] mutatedResponse = SupportTokenText.DecodeBinary(SupportTokenText.Encode(SupportTokenKind.Response, Mutated(responseBody)), SupportTokenKind.Response);
            Assert.Equal(SupportTokenFailure.Invalid, Expect(() => SupportResponse.Parse(HybridEnvelope.Open(_keys.OtherEncryption, SupportTokenText.Body(mutatedResponse), SupportTokenText.Header(SupportTokenKind.Response)))));
            Expect(() => SupportResponse.Parse(Mutated(responseContent)));
        }
    }

    /// <summary>
    /// Through the session itself: a session destroys its one-time key after five invalid responses, so each
    /// request here gets four mutated responses (each must be refused by decryption, not for a missing key),
    /// and then its genuine response, which must still elevate.
    /// </summary>
    [Fact]
    public void Unlock_GivenMutatedResponsesWithFixedChecksums_RefusesEachInDecryption_WhileTheKeyLives()
    {
        for (int round = 0; round < 8; round++)
        {
            SupportGrant grant = _authority.Grant(_session.CreateRequest().Text, TimeSpan.FromHours(1), "fuzz");
            byte[] body = SupportTokenText.Body(SupportTokenText.DecodeBinary(grant.ResponseToken, SupportTokenKind.Response)).ToArray();
            for (int attempt = 0; attempt < 4; attempt++)
            {
                string mutated = SupportTokenText.Encode(SupportTokenKind.Response, Mutated(body));
                Assert.Equal(SupportTokenFailure.Invalid, Expect(() => _session.Unlock(mutated, "fuzz")));
            }

            Assert.True(_session.GetStatus().RequestPending);
            _session.Unlock(grant.ResponseToken, "fuzz");
            Assert.Equal(SupportSessionState.Elevated, _session.GetStatus().State);
            _session.Lock(SupportLockReason.SessionEnded);
        }
    }

    /// <summary>The grant's response content, made again the way the authority makes it (the test holds its signing key).</summary>
    private byte[] ResponseContentOf(SupportGrant grant)
    {
        byte[] hash = Convert.FromHexString(grant.RequestHash);
        byte[] signature = _keys.Signing.SignData(SupportResponse.SignedContent(grant.SessionId, grant.ExpiresUtc, grant.Duration, hash), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return new SupportResponse(grant.SessionId, grant.ExpiresUtc, grant.Duration, hash, signature).Serialize();
    }

    /// <summary>Runs a parser; the failure it reported, or null when it accepted the input.</summary>
    private static SupportTokenFailure? Expect(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (SupportTokenException e)
        {
            // The only allowed failure.
            return e.Failure;
        }
        catch (Exception e)
        {
            Assert.Fail($"A token parser threw {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    /// <summary>A mutation that differs from the original (setting a byte can pick the value it had).</summary>
    private byte[] Mutated(byte[] original)
    {
        while (true)
        {
            byte[] bytes = MutateBytes(original);
            if (!bytes.AsSpan().SequenceEqual(original))
            {
                return bytes;
            }
        }
    }

    private string RandomText(int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(Alphabet[_random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }

    private byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string MutateText(string text)
    {
        var chars = new StringBuilder(text);
        int position = _random.Next(chars.Length);
        switch (_random.Next(5))
        {
            case 0:
                chars[position] = Alphabet[_random.Next(Alphabet.Length)];
                break;
            case 1:
                chars.Remove(position, Math.Min(_random.Next(1, 50), chars.Length - position));
                break;
            case 2:
                chars.Insert(position, RandomText(_random.Next(1, 20)));
                break;
            case 3:
                chars.Length = position;
                break;
            default:
                chars.Append(text.AsSpan(0, position));
                break;
        }

        return chars.ToString();
    }

    private byte[] MutateBytes(byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (_random.Next(4))
        {
            case 0:
                for (int flips = _random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return bytes;
            case 1:
                return bytes[.._random.Next(bytes.Length)];
            case 2:
                return [.. bytes, .. RandomBytes(_random.Next(1, 64))];
            default:
                bytes[_random.Next(Math.Min(bytes.Length, 4))] = (byte)_random.Next(256);
                return bytes;
        }
    }

    public void Dispose()
    {
        _authority.Dispose();
        _session.Dispose();
        _bundle.Dispose();
    }
}
