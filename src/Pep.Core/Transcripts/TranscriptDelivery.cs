using System.Security.Cryptography;
using Pep.Core.Shares;

namespace Pep.Core.Transcripts;

/// <summary>
/// Delivers a snapshot to a destination: each transcript, then the instance's public key, the signed statement of
/// the ledger's head, then the ledger.
/// Every file goes under a temporary name, is read back and compared by SHA-256, and only then renamed to
/// its final name; a partial copy is never taken for a complete one. Nothing local is removed here.
/// </summary>
public static class TranscriptDelivery
{
    /// <summary>Reports progress as (done, total, current file name).</summary>
    public static void Deliver(DeliverySnapshot snapshot, ITranscriptDestination destination, string workDirectory,
        Action<int, int, string> progress, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(warn);
        int total = snapshot.Transcripts.Count + (snapshot.Head is null ? 2 : 3);
        int done = 0;
        foreach (PendingTranscript transcript in snapshot.Transcripts)
        {
            progress(done, total, transcript.Entry.File);
            string sha256 = HashFile(transcript.Path);
            if (!string.Equals(sha256, transcript.Entry.Sha256, StringComparison.Ordinal))
            {
                warn($"The transcript {transcript.Entry.File} on this instance no longer matches its seal; it is delivered as it is and 'pep verify' will report it.");
            }

            CopyVerified(destination, transcript.Path, transcript.Entry.File, sha256, workDirectory, cancellationToken);
            done++;
        }

        progress(done, total, snapshot.PublicKeyName);
        CopyBytesVerified(destination, snapshot.PublicKey, snapshot.PublicKeyName, workDirectory, cancellationToken);
        done++;
        if (snapshot.Head is { } head)
        {
            progress(done, total, snapshot.HeadName);
            CopyBytesVerified(destination, head, snapshot.HeadName, workDirectory, cancellationToken);
            done++;
        }

        progress(done, total, snapshot.LedgerName);
        CopyBytesVerified(destination, snapshot.Ledger, snapshot.LedgerName, workDirectory, cancellationToken);
    }

    private static void CopyBytesVerified(ITranscriptDestination destination, byte[] content, string name, string workDirectory, CancellationToken cancellationToken)
    {
        string local = Path.Combine(workDirectory, $"out-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(local, content);
            CopyVerified(destination, local, name, Convert.ToHexStringLower(SHA256.HashData(content)), workDirectory, cancellationToken);
        }
        finally
        {
            File.Delete(local);
        }
    }

    private static void CopyVerified(ITranscriptDestination destination, string localPath, string name, string sha256, string workDirectory, CancellationToken cancellationToken)
    {
        string partial = DeliveredNames.Partial(name);
        string readBack = Path.Combine(workDirectory, $"back-{Guid.NewGuid():N}");
        try
        {
            destination.Put(localPath, partial, cancellationToken);
            destination.Get(partial, readBack, cancellationToken);
            string copied = HashFile(readBack);
            if (!string.Equals(copied, sha256, StringComparison.Ordinal))
            {
                throw new DestinationException(DestinationFailure.VerificationFailed,
                    $"{destination.Display}: the copy of {name} read back differs from the original (SHA-256 {copied}, expected {sha256}).");
            }

            destination.Rename(partial, name, cancellationToken);
        }
        catch
        {
            destination.TryDelete(partial);
            throw;
        }
        finally
        {
            File.Delete(readBack);
        }
    }

    private static string HashFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
