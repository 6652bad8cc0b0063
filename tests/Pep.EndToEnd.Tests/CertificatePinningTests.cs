using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// A server on the network impersonates the endpoint with a certificate for the endpoint's names from a CA the
/// client's system store trusts. The operator's trust (a pin or a CA file) is the only one that counts.
/// </summary>
public sealed class CertificatePinningTests
{
    private const string TryConnect = """
        try {
            $trust = if ($env:PEP_TEST_CA_FILE) { @{ CertificateAuthorityPath = $env:PEP_TEST_CA_FILE } } elseif ($env:PEP_TEST_PIN -eq '1') { @{ CertificateThumbprint = $thumbprint } } else { @{} }
            $pep = New-PepSession -ComputerName $computers -Credential $cred -ConnectingTimeout 20000 @trust
            [pscustomobject]@{ Id = 'Connected'; Message = '' } | ConvertTo-Json -Compress
        } catch {
            [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } | ConvertTo-Json -Compress
        }
        """;

    [Theory]
    [InlineData("pin")]
    [InlineData("ca-file")]
    public async Task RogueServerWithACertificateTheSystemTrusts_IsRefusedBeforeAnyCredentialIsSent(string trust)
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        var endpointCertificates = new X509Certificate2Collection();
        endpointCertificates.ImportFromPemFile(deployment.Layout.TlsCertificatePem);
        await using RogueTlsServer rogue = RogueTlsServer.Start(endpointCertificates[0]);
        string folder = Directory.CreateTempSubdirectory("pep-rogue-trust-").FullName;
        try
        {
            Dictionary<string, string> systemTrustsRogue = TrustBundle(folder, rogue.Authority);

            // Control: with nothing given, the client's system store decides, and it trusts the rogue CA. This
            // proves the client process really trusts it (.NET on Linux reads SSL_CERT_FILE and SSL_CERT_DIR).
            JsonElement unprotected = await ConnectAsync(deployment, rogue, systemTrustsRogue);
            Assert.Equal(1, rogue.AuthorizationHeaders);
            Assert.DoesNotMatch("^UntrustedCertificate", unprotected.GetProperty("Id").GetString()!);

            Dictionary<string, string> operatorTrust = new(systemTrustsRogue);
            if (trust == "pin")
            {
                operatorTrust["PEP_TEST_PIN"] = "1";
            }
            else
            {
                operatorTrust["PEP_TEST_CA_FILE"] = OperatorAuthorityFile(folder);
            }

            JsonElement refused = await ConnectAsync(deployment, rogue, operatorTrust);

            Assert.StartsWith("UntrustedCertificate,", refused.GetProperty("Id").GetString(), StringComparison.Ordinal);
            string message = refused.GetProperty("Message").GetString()!;
            Assert.Contains(trust == "pin" ? "is not the pinned one" : "-CertificateAuthorityPath", message, StringComparison.Ordinal);
            Assert.Equal(1, rogue.Requests);
            Assert.Equal(1, rogue.AuthorizationHeaders);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<JsonElement> ConnectAsync(TestDeployment deployment, RogueTlsServer rogue, Dictionary<string, string> environment)
    {
        string prelude = PwshClient.Prelude(TestDeployment.AdminUser, $"'127.0.0.1:{rogue.Port}'", deployment.Thumbprint);
        return SessionTests.LastJson(await PwshClient.RunAsync(prelude + TryConnect, deployment.AdminPassword, environment: environment));
    }

    /// <summary>The client's system store for this process only: the machine's CAs and the rogue CA, no directory of others.</summary>
    private static Dictionary<string, string> TrustBundle(string folder, X509Certificate2 rogueAuthority)
    {
        const string MachineBundle = "/etc/ssl/certs/ca-certificates.crt";
        string bundle = Path.Combine(folder, "system-bundle.pem");
        string machine = File.Exists(MachineBundle) ? File.ReadAllText(MachineBundle) : "";
        File.WriteAllText(bundle, machine + Environment.NewLine + rogueAuthority.ExportCertificatePem() + Environment.NewLine);
        string emptyDirectory = Directory.CreateDirectory(Path.Combine(folder, "certs")).FullName;
        return new Dictionary<string, string> { ["SSL_CERT_FILE"] = bundle, ["SSL_CERT_DIR"] = emptyDirectory };
    }

    /// <summary>A CA the operator names with -CertificateAuthorityPath: not the rogue one.</summary>
    private static string OperatorAuthorityFile(string folder)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Operator CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string path = Path.Combine(folder, "operator-ca.pem");
        File.WriteAllText(path, authority.ExportCertificatePem());
        return path;
    }
}
