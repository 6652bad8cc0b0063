using Pep.Core.Stamp.Settings;

namespace Pep.Core.Contracts.Broker;

/// <summary>Set-AzSLegalNotice: empty caption and text remove the notice (answered with <see cref="LegalNoticeReply"/>).</summary>
public sealed record SetLegalNoticeRequest(string Caption, string Text) : BrokerRequest
{
    public override string Describe() => $"Set-AzSLegalNotice (caption {Caption.Length} characters, text {Text.Length} characters)";

    public override string? Validate()
        => CheckLength(Caption, nameof(Caption), 0, LegalNotice.MaxCaptionLength) ?? CheckLength(Text, nameof(Text), 0, LegalNotice.MaxTextLength);
}
