namespace Pep.Core.Contracts.Broker;

/// <summary>Where a log collection went (a folder, or the share's folder) and each archive it made, for the window it covered.</summary>
public sealed record StampLogsReply(StampLogArchive[] Archives, string Location, DateTime FromUtc, DateTime ToUtc) : BrokerReply;
