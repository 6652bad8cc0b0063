using Microsoft.Extensions.Time.Testing;
using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Security;

namespace Pep.Core.Tests.Accounts;

/// <summary>Re-login tickets through the account service, as the HTTPS door uses them, on a fake clock.</summary>
public sealed class ReloginTicketTests : IDisposable
{
    private const string Password = "Correct-Horse-9";
    private const string Console = "10.0.0.7";
    private static readonly SigningKey StampKey = SigningKey.Generate();
    private static readonly AccountAttemptBudget Budget = new(3, TimeSpan.FromDays(30));
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"pep-accounts-{Guid.NewGuid():N}.db");
    private readonly string _floorFile = Path.Combine(Path.GetTempPath(), $"pep-floor-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAccountStore _store;
    private readonly ReloginTickets _tickets;
    private readonly AccountService _accounts;

    public ReloginTicketTests()
    {
        _store = new SqliteAccountStore(_database);
        _tickets = new ReloginTickets(Lifetime, _time);
        _accounts = new AccountService(_store, StampKey, "AZURESTACK", Budget, new AccountVersionFloor(_floorFile), _time, _tickets);
        Assert.True(_accounts.TryAdd(Name("cloudadmin"), Password));
    }

    [Fact]
    public void AVerifiedLogin_GetsATicket_WhichStandsInForTheVerifierOnce_AndIsReplacedByANewOne()
    {
        byte[] first = FirstTicket();

        LoginResult second = Login(Password, first);
        LoginResult replayed = Login(Password, first);

        Assert.Equal(LoginOutcome.Success, second.Outcome);
        Assert.Equal(ReloginTicketOutcome.Accepted, second.Relogin);
        Assert.Equal(ReloginTickets.TicketBytes, second.IssuedTicket!.Length);
        Assert.NotEqual(first, second.IssuedTicket);
        // Spent: the same ticket again is unknown, and the login is left to the verifier (which the right password passes).
        Assert.Equal(ReloginTicketOutcome.Unknown, replayed.Relogin);
        Assert.Equal(LoginOutcome.Success, replayed.Outcome);
        Assert.Equal(ReloginTicketOutcome.Accepted, Login(Password, second.IssuedTicket).Relogin);
    }

    [Fact]
    public void ATicket_IsAcceptedUntilItsLifetimeEnds_AndNotAfter()
    {
        byte[] early = FirstTicket();
        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        LoginResult inTime = Login(Password, early);

        _time.Advance(Lifetime);
        LoginResult late = Login(Password, inTime.IssuedTicket);

        Assert.Equal(ReloginTicketOutcome.Accepted, inTime.Relogin);
        Assert.Equal(ReloginTicketOutcome.Expired, late.Relogin);
        Assert.Equal(LoginOutcome.Success, late.Outcome);
    }

    [Fact]
    public void ATicketFromAnotherAddress_IsRefusedAndSpent()
    {
        byte[] ticket = FirstTicket();

        LoginResult elsewhere = _accounts.Authenticate("cloudadmin", Password, "10.0.0.8", new ReloginAttempt("10.0.0.8", ticket));

        Assert.Equal(ReloginTicketOutcome.OtherSource, elsewhere.Relogin);
        Assert.Equal(LoginOutcome.Success, elsewhere.Outcome);
        Assert.Equal(ReloginTicketOutcome.Unknown, Login(Password, ticket).Relogin);
    }

    [Fact]
    public void ATicketOfAnotherAccount_IsRefused_AndTheLoginIsVerifiedAsWithoutOne()
    {
        Assert.True(_accounts.TryAdd(Name("operator2"), "Operator-Pass-42"));
        byte[] ticket = FirstTicket();

        LoginResult other = _accounts.Authenticate("operator2", Password, Console, new ReloginAttempt(Console, ticket));

        Assert.Equal(ReloginTicketOutcome.OtherAccount, other.Relogin);
        Assert.Equal(LoginOutcome.Refused, other.Outcome);
    }

    [Fact]
    public void APasswordChange_InvalidatesTheTicket_SoTheOldPasswordIsRefused_AndTheNewOneIsVerified()
    {
        byte[] beforeChange = FirstTicket();
        byte[] alsoBeforeChange = FirstTicket();
        Assert.True(_accounts.TryReplacePassword(_accounts.Find(Name("cloudadmin"))!, "New-Password-22"));

        LoginResult oldPassword = Login(Password, beforeChange);
        int failuresCounted = _store.GetFailedAttempts("cloudadmin")?.Count ?? 0;
        LoginResult newPassword = Login("New-Password-22", alsoBeforeChange);

        Assert.Equal(ReloginTicketOutcome.AccountChanged, oldPassword.Relogin);
        Assert.Equal(LoginOutcome.Refused, oldPassword.Outcome);
        Assert.Equal(1, failuresCounted);
        Assert.Equal(ReloginTicketOutcome.AccountChanged, newPassword.Relogin);
        Assert.Equal(LoginOutcome.Success, newPassword.Outcome);
    }

    [Fact]
    public void AnAdministratorsLock_IsRefusedAsWithoutATicket_AndSpendsIt()
    {
        byte[] ticket = FirstTicket();
        Assert.True(_accounts.TrySetStatus(Name("cloudadmin"), AccountStatus.LockedByAdministrator));

        LoginResult locked = Login(Password, ticket);
        Assert.True(_accounts.TrySetStatus(Name("cloudadmin"), AccountStatus.Active));
        LoginResult unlocked = Login(Password, ticket);

        Assert.Equal(LoginOutcome.LockedByAdministrator, locked.Outcome);
        Assert.Equal(ReloginTicketOutcome.AccountChanged, locked.Relogin);
        Assert.Null(locked.IssuedTicket);
        Assert.Equal(ReloginTicketOutcome.Unknown, unlocked.Relogin);
    }

    [Fact]
    public void ARemovedAccount_IsRefusedAsWithoutATicket()
    {
        Assert.True(_accounts.TryAdd(Name("leaver"), "Leaver-Password-3"));
        LoginResult first = _accounts.Authenticate("leaver", "Leaver-Password-3", Console, new ReloginAttempt(Console, null));
        Assert.Equal(AccountRemoval.Removed, _accounts.Remove(Name("leaver")));

        LoginResult removed = _accounts.Authenticate("leaver", "Leaver-Password-3", Console, new ReloginAttempt(Console, first.IssuedTicket));

        Assert.Equal(LoginResult.Refused with { Relogin = ReloginTicketOutcome.AccountChanged }, removed);
    }

    [Fact]
    public void AWrongPasswordWithATicket_BurnsIt_AndIsVerifiedAndCountedAsAFailedLogin()
    {
        byte[] ticket = FirstTicket();

        LoginResult wrong = Login("Wrong-Password-1", ticket);
        int failuresCounted = _store.GetFailedAttempts("cloudadmin")?.Count ?? 0;
        LoginResult rightAfterwards = Login(Password, ticket);

        Assert.Equal(LoginResult.Refused with { Relogin = ReloginTicketOutcome.WrongPassword }, wrong);
        Assert.Null(wrong.IssuedTicket);
        Assert.Equal(1, failuresCounted);
        Assert.Equal(ReloginTicketOutcome.Unknown, rightAfterwards.Relogin);
        Assert.Equal(LoginOutcome.Success, rightAfterwards.Outcome);
    }

    [Fact]
    public void AnUnknownOrMalformedTicket_LeavesTheLoginToTheVerifier()
    {
        FirstTicket();

        LoginResult unknown = Login(Password, new byte[ReloginTickets.TicketBytes]);
        LoginResult malformed = Login(Password, []);

        Assert.Equal((LoginOutcome.Success, ReloginTicketOutcome.Unknown), (unknown.Outcome, unknown.Relogin));
        Assert.Equal((LoginOutcome.Success, ReloginTicketOutcome.Unknown), (malformed.Outcome, malformed.Relogin));
    }

    [Fact]
    public void EachAccountKeepsItsNewestTickets_AndTheOldestIsDroppedPastTheCap()
    {
        var tickets = new ReloginTickets(Lifetime, _time, maxPerAccount: 2, maxTotal: 3);
        Assert.True(_accounts.TryAdd(Name("operator2"), "Operator-Pass-42"));
        AccountRecord admin = _accounts.Find(Name("cloudadmin"))!;
        AccountRecord operator2 = _accounts.Find(Name("operator2"))!;
        byte[] Issue(AccountRecord record, string password)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return tickets.Issue(record, Console, password);
        }

        byte[] oldest = Issue(admin, Password);
        byte[] second = Issue(admin, Password);
        byte[] third = Issue(admin, Password);
        byte[] operatorsFirst = Issue(operator2, "Operator-Pass-42");
        byte[] operatorsSecond = Issue(operator2, "Operator-Pass-42");

        Assert.Equal(3, tickets.Count);
        // Two per account dropped cloudadmin's oldest; the total of three then dropped the oldest left, cloudadmin's second.
        Assert.Equal(ReloginTicketOutcome.Unknown, tickets.Redeem(oldest, "cloudadmin", Console, admin, Password));
        Assert.Equal(ReloginTicketOutcome.Unknown, tickets.Redeem(second, "cloudadmin", Console, admin, Password));
        Assert.Equal(ReloginTicketOutcome.Accepted, tickets.Redeem(third, "cloudadmin", Console, admin, Password));
        Assert.Equal(ReloginTicketOutcome.Accepted, tickets.Redeem(operatorsFirst, "operator2", Console, operator2, "Operator-Pass-42"));
        Assert.Equal(ReloginTicketOutcome.Accepted, tickets.Redeem(operatorsSecond, "operator2", Console, operator2, "Operator-Pass-42"));
        Assert.Equal(0, tickets.Count);
    }

    [Fact]
    public void WithTicketsOff_OrForADoorThatTakesNone_NoTicketIsIssued()
    {
        var off = new AccountService(_store, StampKey, "AZURESTACK", Budget, new AccountVersionFloor(_floorFile), _time, new ReloginTickets(TimeSpan.Zero, _time));

        Assert.Null(off.Authenticate("cloudadmin", Password, Console, new ReloginAttempt(Console, null)).IssuedTicket);
        Assert.Null(_accounts.Authenticate("cloudadmin", Password, Console).IssuedTicket);
        Assert.Equal(0, _tickets.Count);
    }

    [Fact]
    public void TheLifetimeSetting_DefaultsToTenMinutes_IsBoundedToAnHour_AndZeroTurnsTicketsOff()
    {
        var limits = new Pep.Core.Deployment.GatewayLimits();

        Assert.Equal(TimeSpan.FromMinutes(10), limits.ReloginTicketLifetime());
        Assert.Equal(TimeSpan.FromMinutes(60), (limits with { ReloginTicketMinutes = 600 }).ReloginTicketLifetime());
        Assert.Equal(TimeSpan.Zero, (limits with { ReloginTicketMinutes = -5 }).ReloginTicketLifetime());
        Assert.False(new ReloginTickets((limits with { ReloginTicketMinutes = 0 }).ReloginTicketLifetime(), _time).Enabled);
    }

    [Fact]
    public void TheTicketHeader_CarriesExactly32Bytes_AndAnythingElseIsAnEmptyTicket()
    {
        byte[] ticket = FirstTicket();

        Assert.Equal(ticket, Pep.Core.Contracts.ReloginTicketHeaders.Decode(Pep.Core.Contracts.ReloginTicketHeaders.Encode(ticket)));
        Assert.Null(Pep.Core.Contracts.ReloginTicketHeaders.Decode(null));
        Assert.Empty(Pep.Core.Contracts.ReloginTicketHeaders.Decode("not base64")!);
        Assert.Empty(Pep.Core.Contracts.ReloginTicketHeaders.Decode(Convert.ToBase64String(new byte[31]))!);
        Assert.Empty(Pep.Core.Contracts.ReloginTicketHeaders.Decode(Convert.ToBase64String(new byte[33]))!);
    }

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_database);
        File.Delete(_floorFile);
    }

    /// <summary>A login from the console that proves the password with the verifier, and the ticket it gets.</summary>
    private byte[] FirstTicket()
    {
        LoginResult login = Login(Password, null);
        Assert.Equal((LoginOutcome.Success, ReloginTicketOutcome.None), (login.Outcome, login.Relogin));
        return login.IssuedTicket!;
    }

    private LoginResult Login(string password, byte[]? ticket)
        => _accounts.Authenticate(@"AZURESTACK\cloudadmin", password, Console, new ReloginAttempt(Console, ticket));

    private static AccountName Name(string user) => AccountName.TryParse(user, "AZURESTACK", out _)!;
}
