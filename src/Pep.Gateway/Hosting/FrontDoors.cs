namespace Pep.Gateway.Hosting;

/// <summary>What a started gateway serves besides HTTPS, for <c>pep serve</c> to print.</summary>
public sealed class FrontDoors
{
    /// <summary>The port the SSH door's sshd listens on; null when the instance has no SSH door or it did not start.</summary>
    public int? SshPort { get; internal set; }
}
