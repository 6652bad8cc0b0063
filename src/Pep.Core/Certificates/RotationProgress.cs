namespace Pep.Core.Certificates;

/// <summary>The step a rotation is at: the <paramref name="Index"/>th (from 0) of <paramref name="Total"/>.</summary>
public sealed record RotationProgress(int Index, int Total, string Step);
