using Pep.Core.Identities;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// The account one session host runs as: a session account of its own (<see cref="ServiceAccounts"/>), the
/// session group for reading the state's public files, and the host's own runtime folder, which it owns by its
/// group and where its home and caches go. <paramref name="SupportGroupIds"/>: the supplementary groups the
/// deployment grants elevated support sessions (<c>support.elevatedGroups</c>), empty for every other host.
/// </summary>
internal sealed record HostAccount(PosixAccount Account, int SessionGroupId, string RuntimeFolder, IReadOnlyList<int> SupportGroupIds);
