namespace Pep.SessionModule.Support;

/// <summary>
/// What Get-AzureStackSupportConfiguration reports: the support authority registered with the deployment (its key id and
/// the SHA-256 of each public key, to compare with what the vendor says it holds), when it was registered, and how long
/// a support request lives and an elevation may last here.
/// </summary>
public sealed record SupportConfiguration(
    string AuthorityKeyId,
    string EncryptionKeySha256,
    string SigningKeySha256,
    DateTime RegisteredUtc,
    TimeSpan RequestLifetime,
    TimeSpan MaxElevation,
    string Instance);
