namespace Pep.Gateway.Recording;

/// <summary>One thing the record says about a message: its kind (a <see cref="Pep.Core.Transcripts.GatewayRecordLine"/> kind) and text.</summary>
internal sealed record RecordedEvent(string Kind, string Text);
