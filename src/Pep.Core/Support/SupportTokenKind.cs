namespace Pep.Core.Support;

/// <summary>The two tokens of the exchange; the kind is in the token's header and bound into its encryption.</summary>
public enum SupportTokenKind : byte
{
    Request = 1,
    Response = 2,
}
