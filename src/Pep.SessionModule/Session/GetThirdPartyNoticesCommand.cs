using System.Management.Automation;

namespace Pep.SessionModule.Session;

/// <summary>Get-ThirdPartyNotices: the notices and licences of the third-party software the endpoint ships.</summary>
[Cmdlet(VerbsCommon.Get, "ThirdPartyNotices")]
[OutputType(typeof(string))]
public sealed class GetThirdPartyNoticesCommand : StampCmdlet
{
    public const string FileName = "THIRD-PARTY-NOTICES.txt";

    protected override void EndProcessing()
    {
        string path = Path.Combine(Path.GetDirectoryName(typeof(GetThirdPartyNoticesCommand).Assembly.Location)!, FileName);
        try
        {
            WriteObject(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail("ThirdPartyNoticesMissing", ErrorCategory.ObjectNotFound, FileName, $"The notices file is missing from this installation: {e.Message}", e);
        }
    }
}
