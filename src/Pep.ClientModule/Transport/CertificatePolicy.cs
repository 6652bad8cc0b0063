using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pep.ClientModule.Transport;

/// <summary>
/// Decides whether to trust the endpoint's TLS certificate: one that the system trusts for the name, one
/// issued by a CA the operator names, or exactly the certificate the operator pinned by thumbprint. This is
/// the equivalent of WinRM's TrustedHosts, but it trusts a key rather than a name.
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
        if (_pinnedThumbprint is not null && MatchesPin(presented))
        {
            return true;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_authorities.Count > 0 && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && ChainsToAuthority(presented))
        {
            return true;
        }

        string sha256 = Convert.ToHexString(SHA256.HashData(presented.RawData));
        LastRefusal = _pinnedThumbprint is not null
            ? $"its certificate (SHA-256 thumbprint {sha256}) is not the pinned one ({_pinnedThumbprint})"
            : $"its certificate is not trusted ({errors}); its SHA-256 thumbprint is {sha256}";
        return false;
    }

    private bool MatchesPin(X509Certificate2 presented)
    {
        string sha256 = Convert.ToHexString(SHA256.HashData(presented.RawData));
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(sha256), System.Text.Encoding.ASCII.GetBytes(_pinnedThumbprint!));
    }

    private bool ChainsToAuthority(X509Certificate2 presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
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
