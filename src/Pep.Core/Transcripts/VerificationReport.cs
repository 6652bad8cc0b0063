namespace Pep.Core.Transcripts;

/// <summary>The result of verifying a folder: one finding per transcript and per problem, and the keys that signed.</summary>
public sealed record VerificationReport(IReadOnlyList<VerificationFinding> Findings, IReadOnlyList<string> Ledgers)
{
    public bool IsIntact => Ledgers.Count > 0 && Findings.All(f => !f.IsProblem);

    public IEnumerable<VerificationFinding> Problems => Findings.Where(f => f.IsProblem);
}
