using System.Text.Json;
using Pep.Core.Sessions;

namespace Pep.Core.Tests.Sessions;

public sealed class SessionHandoverTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-handover-").FullName;

    private static SessionIdentity Identity => new(
        Guid.Parse("0b5b2a8e-61d5-4b0e-9f55-3e1c1a7b8a11"), @"AZURESTACK\cloudadmin", "ERCS01", "10.0.0.5",
        new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero), "/var/lib/pep", "en-US", "de-DE");

    [Fact]
    public void WrittenIdentity_IsReadBackWhole_FromAPrivateFile()
    {
        string path = Path.Combine(_folder, "a.handover");
        SessionHandover.Write(path, Identity);

        SessionIdentity? read = SessionHandover.TryRead(name => name == SessionHandover.FileVariable ? path : null);

        Assert.Equal(Identity, read);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void AnIdentityThatNamesNoUICulture_HasEnUS()
    {
        var variables = new Dictionary<string, string>(Identity.ToEnvironment());
        Assert.True(variables.Remove("PEP_SESSION_UI_CULTURE"));

        SessionIdentity read = SessionHandover.Parse(JsonSerializer.Serialize(variables));

        Assert.Equal("en-US", read.UICulture);
        Assert.Equal(Identity with { UICulture = "en-US" }, read);
    }

    [Fact]
    public void NoHandover_YetOrAtAll_IsNoIdentity()
    {
        Assert.Null(SessionHandover.TryRead(_ => null));
        Assert.Null(SessionHandover.TryRead(name => name == SessionHandover.FileVariable ? Path.Combine(_folder, "not-yet.handover") : null));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"PEP_SESSION_ID\"]")]
    [InlineData("{\"PEP_SESSION_ID\": 5}")]
    [InlineData("{\"PEP_SESSION_USER\": \"x\"}")]
    public void AFileThatIsNotACompleteIdentity_IsRefused(string text)
    {
        Assert.Throws<FormatException>(() => SessionHandover.Parse(text));
    }

    [Fact]
    public void AFileCarryingAnythingButTheIdentity_IsRefused()
    {
        var variables = new Dictionary<string, string>(Identity.ToEnvironment()) { ["DOTNET_STARTUP_HOOKS"] = "/tmp/evil.dll" };

        Assert.Throws<FormatException>(() => SessionHandover.Parse(JsonSerializer.Serialize(variables)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
