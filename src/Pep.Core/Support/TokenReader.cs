using System.Buffers.Binary;

namespace Pep.Core.Support;

/// <summary>Reads the fields of a decrypted token; running short or leaving bytes over is an invalid token.</summary>
internal ref struct TokenReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > _rest.Length)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        ReadOnlySpan<byte> value = _rest[..count];
        _rest = _rest[count..];
        return value;
    }

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8));

    public Guid Guid() => new(Bytes(16), bigEndian: true);

    public readonly void End()
    {
        if (!_rest.IsEmpty)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }
    }
}
