using Pep.Core.Security;

namespace Pep.Core.Transcripts;

/// <summary>Makes the next entry of a ledger: numbered after, chained to and signed like the ones before it.</summary>
public static class LedgerChain
{
    public static LedgerEntry Next(LedgerEntry? previous, SealRequest request, SigningKey instanceKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(instanceKey);
        foreach ((string name, string value) in new[]
                 {
                     ("instance", request.Instance), ("file", request.File), ("user", request.User),
                     ("clientAddress", request.ClientAddress), ("endReason", request.EndReason),
                 })
        {
            LedgerEntry.CheckFieldValue(name, value);
        }

        var unsigned = new LedgerEntry
        {
            Sequence = (previous?.Sequence ?? 0) + 1,
            Instance = request.Instance,
            KeyId = instanceKey.PublicKeyId,
            SessionId = request.SessionId,
            File = request.File,
            Sha256 = request.Sha256,
            Size = request.Size,
            User = request.User,
            ClientAddress = request.ClientAddress,
            StartedUtc = request.StartedUtc,
            EndedUtc = request.EndedUtc,
            SealedUtc = request.SealedUtc,
            EndReason = request.EndReason,
            PreviousHash = previous?.Hash() ?? LedgerEntry.GenesisHash,
        };
        return unsigned with { Signature = Convert.ToBase64String(instanceKey.Sign(unsigned.CanonicalBytes())) };
    }

    /// <summary>
    /// Records that the transcript <paramref name="sealEntry"/> seals is sent to <paramref name="destination"/>:
    /// the seal entry's fields, the destination, the time of recording, numbered, chained and signed.
    /// </summary>
    public static LedgerEntry NextDelivery(LedgerEntry previous, LedgerEntry sealEntry, string destination, DateTimeOffset recordedUtc, SigningKey instanceKey)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(sealEntry);
        ArgumentNullException.ThrowIfNull(instanceKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        LedgerEntry.CheckFieldValue("destination", destination);
        if (sealEntry.IsDelivery)
        {
            throw new ArgumentException("A delivery entry names the seal entry of the transcript it delivers.", nameof(sealEntry));
        }

        LedgerEntry unsigned = sealEntry with
        {
            Sequence = previous.Sequence + 1,
            KeyId = instanceKey.PublicKeyId,
            SealedUtc = recordedUtc,
            PreviousHash = previous.Hash(),
            Kind = LedgerEntry.DeliveryKind,
            Destination = destination,
            Signature = "",
        };
        return unsigned with { Signature = Convert.ToBase64String(instanceKey.Sign(unsigned.CanonicalBytes())) };
    }

    /// <summary>True when the entry's signature verifies with the given public key.</summary>
    public static bool IsSignedBy(LedgerEntry entry, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(key);
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(entry.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return string.Equals(entry.KeyId, key.PublicKeyId, StringComparison.Ordinal) && key.Verify(entry.CanonicalBytes(), signature);
    }
}
