namespace Pep.Core.Support;

/// <summary>
/// The tokens of the support authority's two exchanges (break the glass, and a CloudAdmin password recovery); the kind
/// is in the token's header and bound into its encryption or signature, so no token passes for another kind.
/// </summary>
public enum SupportTokenKind : byte
{
    Request = 1,
    Response = 2,
    RecoveryRequest = 3,
    RecoveryResponse = 4,
}
