using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pep.ClientModule.Transport;
using Pep.Core.Contracts;

namespace Pep.ClientModule.Commands;

/// <summary>
/// New-PepSession: connects to the first privileged endpoint instance that answers and returns a
/// PSSession for Enter-PSSession, Invoke-Command and Import-PSSession. Instances are tried in the order
/// given; one that cannot be reached or does not answer in time is skipped; a refused credential, a blocked
/// source address or an untrusted certificate stops at once.
/// </summary>
[Cmdlet(VerbsCommon.New, "PepSession")]
[OutputType(typeof(PSSession))]
public sealed class NewPepSessionCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Endpoint instances as <c>host</c> or <c>host:port</c>, tried in order.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("Cn")]
    public string[] ComputerName { get; set; } = [];

    /// <summary>A CloudAdmin account: <c>DOMAIN\cloudadmin</c> and its password.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>SHA-256 thumbprint of the endpoint's certificate, as 'pep init' printed it: trust exactly that certificate.</summary>
    [Parameter]
    public string? CertificateThumbprint { get; set; }

    /// <summary>A PEM file with the CA certificate(s) that issued the endpoint's certificate.</summary>
    [Parameter]
    public string? CertificateAuthorityPath { get; set; }

    /// <summary>Culture the session runs in (dates, numbers); default en-US.</summary>
    [Parameter]
    public string Culture { get; set; } = WireProtocol.DefaultCulture;

    /// <summary>UI culture of the session (the language of messages and help); default en-US.</summary>
    [Parameter]
    public string UICulture { get; set; } = WireProtocol.DefaultCulture;

    /// <summary>
    /// Milliseconds to wait for one instance to accept the connection (TCP and TLS) before trying the next. An
    /// instance that accepted it has 75 s more to answer the login (it queues logins when many arrive at once).
    /// </summary>
    [Parameter]
    [ValidateRange(500, 600_000)]
    public int ConnectingTimeout { get; set; } = 30_000;

    /// <summary>Port used for a computer name given without one.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = EndpointAddress.DefaultPort;

    /// <summary>A friendly name for the session.</summary>
    [Parameter]
    public string? Name { get; set; }

    protected override void EndProcessing()
    {
        CertificatePolicy policy = CreateCertificatePolicy();
        CultureInfo culture = ResolveCulture(Culture, nameof(Culture));
        CultureInfo uiCulture = ResolveCulture(UICulture, nameof(UICulture));
        var failures = new List<string>();

        foreach (string computer in ComputerName)
        {
            EndpointAddress address;
            try
            {
                address = EndpointAddress.Parse(computer, Port);
            }
            catch (FormatException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "InvalidComputerName", ErrorCategory.InvalidArgument, computer));
                return;
            }

            // The ticket of this console's last login of the user to this instance, if any: spent by this login whatever
            // comes of it, and replaced only by the one a successful login gets (README, Security, "Re-login tickets").
            byte[]? ticket = ReloginTicketCache.Take(address, Credential.UserName);
            var info = new PepConnectionInfo(address, Credential, policy)
            {
                Culture = culture,
                UICulture = uiCulture,
                ConnectTimeout = TimeSpan.FromMilliseconds(ConnectingTimeout),
                PresentedReloginTicket = ticket,
            };

            WriteVerbose(ticket is null ? $"Connecting to {address}." : $"Connecting to {address}; a re-login ticket from this console's last login goes with the password.");
            Exception? failure = TryOpen(info, out Runspace? runspace);
            if (ticket is not null)
            {
                CryptographicOperations.ZeroMemory(ticket);
            }

            if (runspace is not null)
            {
                if (info.ReceivedReloginTicket is { } received)
                {
                    ReloginTicketCache.Keep(address, Credential.UserName, received);
                }

                LegalNoticeDisplay.Show(runspace, info.DeliveredLegalNotice, this);
                WriteObject(PSSession.Create(runspace, "PrivilegedEndpoint", this));
                return;
            }

            PepTransportException? pep = Find<PepTransportException>(failure);
            if (pep is { IsFinal: true })
            {
                ThrowTerminatingError(new ErrorRecord(pep, ErrorId(pep.Failure), Category(pep.Failure), computer));
                return;
            }

            string reason = pep?.Message ?? $"{address}: {failure?.Message}";
            failures.Add(reason);
            if (!ReferenceEquals(computer, ComputerName[^1]))
            {
                WriteWarning($"{reason} Trying the next instance.");
            }
        }

        ThrowTerminatingError(new ErrorRecord(
            new PepTransportException(FailureKind.NoInstanceReachable, "No privileged endpoint instance could be reached:" + Environment.NewLine + string.Join(Environment.NewLine, failures)),
            "NoInstanceReachable", ErrorCategory.ConnectionError, ComputerName));
    }

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();

    /// <summary>Opens a runspace on one instance within the timeout; on failure returns why, with no runspace left behind.</summary>
    private Exception? TryOpen(PepConnectionInfo info, out Runspace? opened)
    {
        opened = null;
        Runspace runspace = RunspaceFactory.CreateRunspace(info, Host, TypeTable.LoadDefaultTypeFiles());
        var done = new TaskCompletionSource<RunspaceStateInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is RunspaceState.Opened or RunspaceState.Broken or RunspaceState.Closed)
            {
                done.TrySetResult(e.RunspaceStateInfo);
            }
        };

        try
        {
            runspace.OpenAsync();
            // -ConnectingTimeout bounds reaching the gateway (TCP, TLS: see PepConnectionInfo.ConnectTimeout), the
            // login has its own allowance, and an instance that accepted it then starts a session host, which
            // takes its own time on a busy host.
            TimeSpan openLimit = TimeSpan.FromMilliseconds(ConnectingTimeout) + WebSocketLineChannel.LoginAllowance + LoginTimings.ClientSessionStartAllowance;
            int index = Task.WaitAny([done.Task], (int)openLimit.TotalMilliseconds, _stopping.Token);
            if (index < 0)
            {
                runspace.Dispose();
                return new PepTransportException(FailureKind.Timeout, $"{info.Address}: the session did not open within {openLimit.TotalSeconds:0} seconds.");
            }

            RunspaceStateInfo state = done.Task.Result;
            if (state.State == RunspaceState.Opened)
            {
                opened = runspace;
                return null;
            }

            runspace.Dispose();
            return state.Reason ?? new PepTransportException(FailureKind.Unknown, $"{info.Address}: the session closed while opening.");
        }
        catch (OperationCanceledException)
        {
            runspace.Dispose();
            throw new PipelineStoppedException();
        }
    }

    private CertificatePolicy CreateCertificatePolicy()
    {
        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(CertificateAuthorityPath))
        {
            string path = GetUnresolvedProviderPathFromPSPath(CertificateAuthorityPath);
            try
            {
                authorities.ImportFromPemFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                ThrowTerminatingError(new ErrorRecord(e, "CertificateAuthorityUnreadable", ErrorCategory.ReadError, CertificateAuthorityPath));
            }
        }

        try
        {
            return new CertificatePolicy(CertificateThumbprint, authorities);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidCertificateThumbprint", ErrorCategory.InvalidArgument, CertificateThumbprint));
            throw;
        }
    }

    private CultureInfo ResolveCulture(string name, string parameter)
    {
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidCulture", ErrorCategory.InvalidArgument, name) { ErrorDetails = new ErrorDetails($"-{parameter} '{name}' is not a known culture.") });
            throw;
        }
    }

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static string ErrorId(FailureKind failure) => failure switch
    {
        FailureKind.InvalidCredential or FailureKind.SourceBlocked or FailureKind.UntrustedCertificate => failure.ToString(),
        _ => "ConnectFailed." + failure,
    };

    private static ErrorCategory Category(FailureKind failure) => failure switch
    {
        FailureKind.InvalidCredential => ErrorCategory.AuthenticationError,
        FailureKind.SourceBlocked => ErrorCategory.LimitsExceeded,
        FailureKind.UntrustedCertificate => ErrorCategory.SecurityError,
        FailureKind.BadRequest => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.ConnectionError,
    };
}
