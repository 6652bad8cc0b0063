namespace Pep.Core.Certificates;

/// <summary>Why a certificate offered for import is refused; the message names the file and never holds the password.</summary>
public sealed class CertificateRejectedException(string errorId, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A stable id for the error record, e.g. CertificatePasswordIncorrect or CertificateExpired.</summary>
    public string ErrorId { get; } = errorId;
}
