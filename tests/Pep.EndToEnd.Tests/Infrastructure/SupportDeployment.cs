using Pep.Core.Deployment;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A class fixture: a one-instance deployment with a registered support authority (both made by the real
/// CLI: registered by <c>pep init --support-authority</c> here, by <c>pep authority register</c> in the short one) and a second authority that holds the first one's encryption key but its own signing key, to forge
/// responses with.
/// </summary>
public class SupportDeployment : IAsyncLifetime
{
    private TestDeployment? _deployment;
    private SupportAuthorityDirectory? _authority;
    private SupportAuthorityDirectory? _impostor;

    public TestDeployment Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    public SupportAuthorityDirectory Authority => _authority ?? throw new InvalidOperationException("Not started.");

    /// <summary>Has the registered authority's encryption key (it can read requests) but not its signing key.</summary>
    public SupportAuthorityDirectory Impostor => _impostor ?? throw new InvalidOperationException("Not started.");

    protected virtual SupportSettings Settings => new();

    /// <summary>The deployment's settings: the support settings, and whatever a test class adds.</summary>
    protected virtual DeploymentConfig Adjust(DeploymentConfig config) => config with { Support = Settings };

    /// <summary>Warm session hosts of the instance (none unless a test class is about them).</summary>
    protected virtual int WarmSessionHosts => 0;

    /// <summary>True: <c>pep init --support-authority</c>; false: <c>pep authority register</c> afterwards.</summary>
    protected virtual bool RegisterAtInit => true;

    /// <summary>The instance also has its SSH front door.</summary>
    protected virtual bool SshDoor => false;

    public async Task InitializeAsync()
    {
        _authority = await SupportAuthorityDirectory.CreateAsync();
        _impostor = await SupportAuthorityDirectory.CreateAsync();
        File.Copy(Path.Combine(_authority.Directory, "encryption.key"), Path.Combine(_impostor.Directory, "encryption.key"), overwrite: true);
        _deployment = await TestDeployment.CreateAsync(instanceCount: 1, adjust: Adjust,
            initArguments: RegisterAtInit ? ["--support-authority", _authority.PublicBundle] : null, warmSessionHosts: WarmSessionHosts, sshDoor: SshDoor);
        if (!RegisterAtInit)
        {
            await _authority.RegisterWithAsync(_deployment);
        }

        await _deployment.StartAllAsync();
    }

    /// <summary>Client-script variables ($pepDll, $authority, $impostor, $transcripts) and functions (Grant, Refusal, Retamper).</summary>
    public string Variables => $$"""
        $pepDll = '{{RepositoryPaths.PepDll}}'
        $authority = '{{Authority.Directory}}'
        $impostor = '{{Impostor.Directory}}'
        $transcripts = '{{Deployment.Layout.TranscriptDirectory("ERCS01")}}'
        function Grant([string] $request, [string] $key = $authority, [string] $duration = '4h') {
            $out = $request | & dotnet $pepDll authority grant --key $key --duration $duration --granted-by 'e2e vendor' 2>&1
            if ($LASTEXITCODE -ne 0) { throw "grant failed ($LASTEXITCODE): $out" }
            ($out | Where-Object { $_ -is [string] }) -join "`n"
        }
        function Refusal([scriptblock] $command) {
            try { & $command; 'accepted' } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
        }
        function Retamper([string] $token) {
            # Flips one bit near the token's end (inside the signature, or the encrypted body) and recomputes the
            # checksum: only cryptography can notice.
            $chars = ($token -replace '\s', '').Replace('-', '+').Replace('_', '/')
            $chars += '=' * ((4 - $chars.Length % 4) % 4)
            [byte[]] $bytes = [Convert]::FromBase64String($chars)
            $bytes[$bytes.Length - 30] = $bytes[$bytes.Length - 30] -bxor 1
            [byte[]] $payload = $bytes[0..($bytes.Length - 5)]
            [byte[]] $sum = [System.Security.Cryptography.SHA256]::HashData($payload)[0..3]
            [Convert]::ToBase64String([byte[]]($payload + $sum)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
        }

        """;

    /// <summary>
    /// The sealed transcript (which carries the session's support.log) of the one session that wrote
    /// <paramref name="marker"/>, once it is sealed. Each test writes a marker of its own into its session, so
    /// that words a sibling test's session also wrote cannot answer for it.
    /// </summary>
    public async Task<string> SealedTranscriptAsync(string marker)
    {
        string sealedFolder = Path.Combine(Deployment.Layout.TranscriptDirectory("ERCS01"), "sealed");
        string[] found = [];
        await EndpointInstance.WaitUntilAsync(
            () => (found = System.IO.Directory.Exists(sealedFolder)
                ? [.. System.IO.Directory.EnumerateFiles(sealedFolder, "PEP_*.txt").Select(ReadShared).Where(t => t.Contains(marker, StringComparison.Ordinal))]
                : []).Length > 0,
            $"a sealed transcript holds the marker {marker}", TimeSpan.FromSeconds(60));
        return Assert.Single(found);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        _authority?.Dispose();
        _impostor?.Dispose();
    }
}

/// <summary>
/// The same with short times: elevations end after 40 s at the latest (long enough to start every kind of leftover
/// on a loaded machine, short enough to wait for), requests after 15 s; the authority is registered afterwards.
/// </summary>
public sealed class ShortSupportDeployment : SupportDeployment
{
    protected override SupportSettings Settings => new() { MaxElevationSeconds = 40, RequestLifetimeSeconds = 15 };

    protected override bool RegisterAtInit => false;
}

/// <summary>The same with the instance's SSH front door: break the glass from stock pwsh over SSH.</summary>
public sealed class SshSupportDeployment : SupportDeployment
{
    protected override bool SshDoor => true;
}

/// <summary>
/// The same for a password recovery left to expire: a recovery token (and its response) lives 40 s, long enough for a
/// token and the vendor's answer on a loaded machine, short enough to wait for.
/// </summary>
public sealed class RecoveryDeployment : SupportDeployment
{
    public const int LifetimeSeconds = 40;

    protected override SupportSettings Settings => new() { RequestLifetimeSeconds = LifetimeSeconds };
}
