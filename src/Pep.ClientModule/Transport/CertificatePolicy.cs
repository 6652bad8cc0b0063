using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pep.ClientModule.Transport;

/// <summary>
/// Decides whether to trust the endpoint's TLS certificate: exactly the certificate the operator pinned by
/// thumbprint, or one issued for the name by a CA the operator names; only when the operator gives neither,
/// one that the system trusts for the name. What the operator gives is the only trust used: a pinned
/// connection refuses a certificate that any CA of the system store issued (issue 17: such a server received
/// the operator's password). This is the equivalent of WinRM's TrustedHosts, but it trusts a key rather than a name.
/// </summary>
public sealed class CertificatePolicy
{
    private readonly string? _pinnedThumbprint;
    private readonly X509Certificate2Collection _authorities;

    public CertificatePolicy(string? pinnedThumbprint, X509Certificate2Collection authorities)
    {
        _pinnedThumbprint = NormalizeThumbprint(pinnedThumbprint);
        _authorities = authorities;
    }

    /// <summary>Why the last certificate was refused, with its thumbprint; null if none was.</summary>
    public string? LastRefusal { get; private set; }

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            LastRefusal = "the endpoint presented no certificate";
            return false;
        }

        using X509Certificate2 presented = new(certificate);
        bool operatorNamedTrust = _pinnedThumbprint is not null || _authorities.Count > 0;
        if (_pinnedThumbprint is not null && MatchesPin(presented))
        {
            return true;
        }

        if (_authorities.Count > 0 && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && ChainsToAuthority(presented, chain))
        {
            return true;
        }

        if (!operatorNamedTrust && errors == SslPolicyErrors.None)
        {
            return true;
        }

        string sha256 = Convert.ToHexString(SHA256.HashData(presented.RawData));
        LastRefusal = (_pinnedThumbprint, _authorities.Count) switch
        {
            (not null, 0) => $"its certificate (SHA-256 thumbprint {sha256}) is not the pinned one ({_pinnedThumbprint})",
            (not null, _) => $"its certificate (SHA-256 thumbprint {sha256}) is neither the pinned one ({_pinnedThumbprint}) nor issued for this name by a CA of -CertificateAuthorityPath",
            (null, > 0) => $"its certificate (SHA-256 thumbprint {sha256}) is not issued for this name by a CA of -CertificateAuthorityPath",
            _ => $"its certificate is not trusted ({errors}); its SHA-256 thumbprint is {sha256}",
        };
        return false;
    }

    private bool MatchesPin(X509Certificate2 presented)
    {
        string sha256 = Convert.ToHexString(SHA256.HashData(presented.RawData));
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(sha256), System.Text.Encoding.ASCII.GetBytes(_pinnedThumbprint!));
    }

    private bool ChainsToAuthority(X509Certificate2 presented, X509Chain? handshake)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the endpoint sent may complete the path; under CustomRootTrust they are never roots.
        if (handshake is not null)
        {
            foreach (X509ChainElement element in handshake.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(presented);
    }

    /// <summary>Accepts a SHA-256 thumbprint as hex, with or without separators, in any case.</summary>
    public static string? NormalizeThumbprint(string? thumbprint)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        string hex = new([.. thumbprint.Where(Uri.IsHexDigit)]);
        if (hex.Length != 64 || hex.Length != thumbprint.Count(c => !char.IsWhiteSpace(c) && c != ':' && c != '-'))
        {
            throw new ArgumentException("A certificate thumbprint is the SHA-256 of the certificate: 64 hexadecimal digits, as 'pep init' prints it.");
        }

        return hex.ToUpperInvariant();
    }
}
