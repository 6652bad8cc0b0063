namespace Pep.Cli;

/// <summary>What <c>pep</c> exits with. Scripts depend on these numbers.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int DeploymentError = 3;
    /// <summary><c>pep verify</c>: the folder's transcripts or ledger do not check out.</summary>
    public const int VerificationFailed = 4;
}
