using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Pep.Core.Shares;

/// <summary>
/// A folder on an SMB share, reached through Samba's <c>smbclient</c>: one process per operation, arguments
/// as a list (never a shell), the credential in a 0600 authentication file that exists only for the call.
/// </summary>
public sealed partial class SmbDestination : ITranscriptDestination
{
    private readonly SmbPath _path;
    private readonly ShareCredential _credential;
    private readonly string _smbclient;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly string _workDirectory;

    /// <summary>The authentication files go to <paramref name="workDirectory"/>, a private (0700) folder.</summary>
    public SmbDestination(SmbPath path, ShareCredential credential, string smbclient, int port, TimeSpan timeout, string workDirectory)
    {
        _path = path;
        _credential = credential;
        _smbclient = smbclient;
        _port = port;
        _timeout = timeout;
        _workDirectory = workDirectory;
    }

    public string Display => _path.ToString();

    public void Prepare(CancellationToken cancellationToken)
    {
        // Connects with the credential (a refused one fails here) and creates each level of the folder; an
        // existing level answers OBJECT_NAME_COLLISION, which is fine. Then the folder must be listable.
        var levels = new List<string>();
        for (int i = 1; i <= _path.Folder.Count; i++)
        {
            levels.Add("mkdir " + Quote(string.Join('\\', _path.Folder.Take(i))));
        }

        if (levels.Count > 0)
        {
            Run(string.Join("; ", levels), "prepare", cancellationToken, tolerate: "NT_STATUS_OBJECT_NAME_COLLISION");
        }

        Run("ls " + Quote(_path.Folder.Count == 0 ? "*" : _path.FolderPath + "\\*"), "list", cancellationToken);
    }

    public void Put(string localPath, string name, CancellationToken cancellationToken)
        => Run($"put {QuoteLocal(localPath)} {Quote(Remote(name))}", "copy " + name, cancellationToken);

    public void Get(string name, string localPath, CancellationToken cancellationToken)
        => Run($"get {Quote(Remote(name))} {QuoteLocal(localPath)}", "read back " + name, cancellationToken);

    public void Rename(string name, string newName, CancellationToken cancellationToken)
        => Run($"rename {Quote(Remote(name))} {Quote(Remote(newName))} -f", "rename " + name, cancellationToken);

    public void TryDelete(string name)
    {
        try
        {
            using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Run("del " + Quote(Remote(name)), "delete " + name, shortWait.Token);
        }
        catch (Exception e) when (e is DestinationException or OperationCanceledException)
        {
            // The share is gone or refuses: the temporary copy keeps its partial name and is never taken for a transcript.
        }
    }

    public void Dispose() => _credential.Dispose();

    private string Remote(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        return _path.Folder.Count == 0 ? name : _path.FolderPath + "\\" + name;
    }

    private static string Quote(string remote) => "\"" + remote + "\"";

    /// <summary>smbclient splits commands on ';' and quotes with '"': a local path holding either cannot be passed.</summary>
    private static string QuoteLocal(string path)
        => path.AsSpan().ContainsAny(";\"\n\r")
            ? throw new DestinationException(DestinationFailure.WriteFailed, $"The local path '{path}' holds a character smbclient cannot take.")
            : "\"" + path + "\"";

    private void Run(string command, string what, CancellationToken cancellationToken, string? tolerate = null)
    {
        string authFile = Path.Combine(_workDirectory, $"smb-{Environment.ProcessId}-{Guid.NewGuid():N}.auth");
        _credential.WriteAuthenticationFile(authFile);
        try
        {
            (int exitCode, string output) = Execute(authFile, command, cancellationToken);
            string[] statuses = [.. StatusPattern().Matches(output).Select(m => m.Value).Distinct().Where(s => s != tolerate)];
            if (exitCode == 0 && statuses.Length == 0)
            {
                return;
            }

            string status = statuses.FirstOrDefault() ?? $"smbclient exit code {exitCode}";
            throw new DestinationException(Classify(status), $"{Display}: {what} failed ({status}).");
        }
        finally
        {
            File.Delete(authFile);
        }
    }

    private (int ExitCode, string Output) Execute(string authFile, string command, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(_smbclient)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     _path.Service, "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-A", authFile,
                     "-m", "SMB3", "-t", ((int)_timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", command,
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // smbclient also takes a password from these; only the authentication file may give one.
        startInfo.Environment.Remove("PASSWD");
        startInfo.Environment.Remove("PASSWD_FD");
        startInfo.Environment.Remove("PASSWD_FILE");
        startInfo.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new DestinationException(DestinationFailure.WriteFailed, "smbclient did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DestinationException(DestinationFailure.WriteFailed, $"smbclient could not be started ({e.Message}); is Samba's client installed?", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(_timeout + TimeSpan.FromSeconds(30));
            try
            {
                process.WaitForExitAsync(limit.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                cancellationToken.ThrowIfCancellationRequested();
                throw new DestinationException(DestinationFailure.Unreachable, $"{Display}: no answer within {_timeout.TotalSeconds:0} s.");
            }

            var output = new StringBuilder(stdout.GetAwaiter().GetResult()).Append('\n').Append(stderr.GetAwaiter().GetResult());
            return (process.ExitCode, output.ToString());
        }
    }

    private static DestinationFailure Classify(string status) => status switch
    {
        "NT_STATUS_LOGON_FAILURE" or "NT_STATUS_ACCESS_DENIED" or "NT_STATUS_ACCOUNT_DISABLED" or "NT_STATUS_ACCOUNT_LOCKED_OUT"
            or "NT_STATUS_WRONG_PASSWORD" or "NT_STATUS_NO_SUCH_USER" or "NT_STATUS_PASSWORD_EXPIRED" => DestinationFailure.AccessDenied,
        "NT_STATUS_BAD_NETWORK_NAME" or "NT_STATUS_CONNECTION_REFUSED" or "NT_STATUS_HOST_UNREACHABLE" or "NT_STATUS_NETWORK_UNREACHABLE"
            or "NT_STATUS_IO_TIMEOUT" or "NT_STATUS_CONNECTION_RESET" or "NT_STATUS_CONNECTION_DISCONNECTED" or "NT_STATUS_END_OF_FILE"
            or "NT_STATUS_PIPE_BROKEN" or "NT_STATUS_INVALID_NETWORK_RESPONSE" or "NT_STATUS_UNSUCCESSFUL" => DestinationFailure.Unreachable,
        _ => status.StartsWith("smbclient exit", StringComparison.Ordinal) ? DestinationFailure.Unreachable : DestinationFailure.WriteFailed,
    };

    [GeneratedRegex(@"NT_STATUS_[A-Z_]+")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,255}$")]
    private static partial Regex NamePattern();
}
