namespace Pep.Core.Contracts.Broker;

/// <summary>A session of the instance whose transcript a Close did not take: <see cref="State"/> is Open or EndedNotSealed.</summary>
public sealed record UnsealedSession(Guid SessionId, string User, string ClientAddress, DateTimeOffset StartedUtc, string State);
