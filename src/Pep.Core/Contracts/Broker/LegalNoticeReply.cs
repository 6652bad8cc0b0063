namespace Pep.Core.Contracts.Broker;

/// <summary>The legal notice new sessions show (empty caption and text: none).</summary>
public sealed record LegalNoticeReply(string Caption, string Text) : BrokerReply;
