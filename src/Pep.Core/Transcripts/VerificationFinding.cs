namespace Pep.Core.Transcripts;

/// <summary>One line of a verification report: what, about which file or entry, and the evidence.</summary>
public sealed record VerificationFinding(FindingKind Kind, string Subject, string Detail)
{
    public bool IsProblem => Kind is not (FindingKind.Intact or FindingKind.Unanchored);

    public override string ToString() => $"{Kind,-16} {Subject}{(Detail.Length > 0 ? ": " + Detail : "")}";
}
