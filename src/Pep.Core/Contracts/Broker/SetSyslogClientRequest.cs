namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Set-SyslogClient: a client certificate (<see cref="PfxBinary"/> with <see cref="CertPassword"/> in UTF-8, both
/// secrets, wiped once used), or <see cref="RemoveCertificate"/>, and/or the <see cref="OutputSeverity"/>
/// (<c>Default</c> or <c>Verbose</c>); what is not given stays (answered with <see cref="SyslogClientReply"/>).
/// </summary>
public sealed record SetSyslogClientRequest(byte[]? PfxBinary, byte[]? CertPassword, bool RemoveCertificate, string? OutputSeverity) : BrokerRequest
{
    /// <summary>A client certificate with its key and chain is a few KiB; the broker's frame is 64 KiB of JSON (base64 inside).</summary>
    public const int MaxPfxBytes = 32 * 1024;

    public override string Describe()
        => "Set-SyslogClient" + (PfxBinary is null ? "" : $" (PFX of {PfxBinary.Length} bytes)") + (RemoveCertificate ? " -RemoveCertificate" : "")
           + (OutputSeverity is null ? "" : $" -OutputSeverity {Loggable(OutputSeverity)}");

    public override string? Validate()
    {
        if (PfxBinary is { Length: 0 or > MaxPfxBytes })
        {
            return $"{nameof(PfxBinary)} must have 1 to {MaxPfxBytes} bytes.";
        }

        if (CertPassword is { Length: > AccountLimits.MaxPasswordBytes })
        {
            return $"{nameof(CertPassword)} must have at most {AccountLimits.MaxPasswordBytes} bytes.";
        }

        return PfxBinary is not null && RemoveCertificate ? "A certificate cannot be given and removed at once." : null;
    }

    public override void ClearSecrets()
    {
        if (PfxBinary is not null)
        {
            Array.Clear(PfxBinary);
        }

        if (CertPassword is not null)
        {
            Array.Clear(CertPassword);
        }
    }
}
