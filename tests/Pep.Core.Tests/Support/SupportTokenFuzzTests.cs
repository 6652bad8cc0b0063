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
/// recomputed (so they reach decryption and the field parsers).
/// </summary>
public sealed class SupportTokenFuzzTests(AuthorityKeys keys) : IClassFixture<AuthorityKeys>
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ \n\t=+/.é\0";
    private readonly Random _random = new(20261125);

    [Fact]
    public void Parsers_GivenRandomAndMutatedTokens_ThrowOnlySupportTokenException()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using SupportAuthorityBundle bundle = SupportAuthorityBundle.Parse(SupportAuthorityBundle.ToJson(keys.Encryption, keys.Signing));
        using var session = new SupportSession(bundle, new SupportSettings(), time);
        using var authority = new SupportAuthority(AuthorityKeys.Copy(keys.Encryption), AuthorityKeys.Copy(keys.Signing), time);
        string request = session.CreateRequest().Text;
        byte[] requestBody = SupportTokenText.Body(SupportTokenText.DecodeBinary(request, SupportTokenKind.Request)).ToArray();

        // A response sealed to a key this test holds, so that mutated responses reach decryption and parsing.
        SupportGrant grant = authority.Grant(request, TimeSpan.FromHours(1), "fuzz");
        byte[] responseContent = SupportResponse.Parse(ResponseContentOf(grant)).Serialize();
        byte[] responseBody = HybridEnvelope.Seal(keys.OtherEncryption, responseContent, SupportTokenText.Header(SupportTokenKind.Response));

        int cases = 0;
        for (int i = 0; i < 1000; i++, cases++)
        {
            string text = RandomText(_random.Next(0, 3000));
            Expect(() => SupportTokenText.DecodeBinary(text, SupportTokenKind.Request));
            Expect(() => session.Unlock(text, "fuzz"));
            Expect(() => SupportRequest.Parse(RandomBytes(_random.Next(0, 400))));
            Expect(() => SupportResponse.Parse(RandomBytes(_random.Next(0, 600))));
        }

        for (int i = 0; i < 1000; i++, cases++)
        {
            string mutated = MutateText(i % 2 == 0 ? request : grant.ResponseToken);
            Expect(() => authority.Grant(mutated, TimeSpan.FromHours(1), "fuzz"));
            Expect(() => session.Unlock(mutated, "fuzz"));
        }

        for (int i = 0; i < 600; i++, cases++)
        {
            string mutatedRequest = SupportTokenText.Encode(SupportTokenKind.Request, MutateBytes(requestBody));
            Expect(() => authority.Grant(mutatedRequest, TimeSpan.FromHours(1), "fuzz"));

            byte[] mutatedResponse = SupportTokenText.DecodeBinary(SupportTokenText.Encode(SupportTokenKind.Response, MutateBytes(responseBody)), SupportTokenKind.Response);
            Expect(() => SupportResponse.Parse(HybridEnvelope.Open(keys.OtherEncryption, SupportTokenText.Body(mutatedResponse), SupportTokenText.Header(SupportTokenKind.Response))));
            Expect(() => SupportResponse.Parse(MutateBytes(responseContent)));
        }

        Assert.True(cases >= 2600);
    }

    /// <summary>The grant's response content, made again the way the authority makes it (the test holds its signing key).</summary>
    private byte[] ResponseContentOf(SupportGrant grant)
    {
        byte[] hash = Convert.FromHexString(grant.RequestHash);
        byte[] signature = keys.Signing.SignData(SupportResponse.SignedContent(grant.SessionId, grant.ExpiresUtc, grant.Duration, hash), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return new SupportResponse(grant.SessionId, grant.ExpiresUtc, grant.Duration, hash, signature).Serialize();
    }

    private static void Expect(Action action)
    {
        try
        {
            action();
        }
        catch (SupportTokenException)
        {
            // The only allowed failure.
        }
        catch (Exception e)
        {
            Assert.Fail($"A token parser threw {e.GetType().Name}: {e.Message}");
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
}
