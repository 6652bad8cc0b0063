namespace Pep.SessionModule.Support;

/// <summary>
/// A break-the-glass step could not be recorded (support.log) or handed to the gateway: the step does not happen.
/// The message says which, for the operator; the gateway's log has the host's diagnostic.
/// </summary>
internal sealed class SupportRecordException(string message, Exception? inner = null) : Exception(message, inner);
