using System.IO.Compression;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>The stamp cmdlets through the real client against a stamp of real role services.</summary>
[Collection("Stamp")]
public sealed class StampCommandTests(TestStamp fixture) : IClassFixture<TestStamp>
{
    private TestDeployment Deployment => fixture.Deployment;

    /// <summary>
    /// A client that makes one round trip per endpoint command (22 Get-Help -Full): on the shared 2-core machine under a
    /// load of 30 to 60 that passed the default 180 s, at 5 to 8 s a round trip.
    /// </summary>
    private static readonly TimeSpan CommandByCommand = TimeSpan.FromMinutes(6);

    private const string Open = "$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000\n";

    /// <summary>The test stamp's categories (DemoStamp's health tests), in the order its roles declare them: written out, not computed by the selection under test.</summary>
    private static readonly string[] DemoStampCategories =
        ["AzsNetworkInfra", "AzsInfraFileValidation", "AzsStorageSvcsSummary", "AzsInfraCapacity", "AzsInfraRoleSummary", "AzsHostingInfraSummary", "AzsPortalAPISummary"];

    [Fact]
    public async Task TestAzureStack_WithEveryRoleUp_PassesEachCategoryAndReturnsTrue()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $lines = Invoke-Command -Session $pep { Test-AzureStack } 6>&1
            $value = $lines | Where-Object { $_ -is [bool] }
            $text = ($lines | Where-Object { $_ -isnot [bool] } | ForEach-Object { "$_" }) -join "`n"
            [pscustomobject]@{ Value = ($value -eq $true); Text = $text } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.True(json.GetProperty("Value").GetBoolean(), result.StandardOutput);
        string text = json.GetProperty("Text").GetString()!;
        foreach (string category in DemoStampCategories)
        {
            Assert.Matches($"(?m)^{category} +PASS$", text);
        }
    }

    [Fact]
    public async Task TestAzureStack_ListIncludeAndGroup_SelectTheRightCategories()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $all = @(Invoke-Command -Session $pep { Test-AzureStack -List } | ForEach-Object Category)
            $update = @(Invoke-Command -Session $pep { Test-AzureStack -List -Group UpdateReadiness } | ForEach-Object Category)
            $some = @(Invoke-Command -Session $pep { Test-AzureStack -List -Include AzsNetworkInfra, AzsInfraRoleSummary -Ignore AzsInfraRoleSummary } | ForEach-Object Category)
            $detailed = @(Invoke-Command -Session $pep { Test-AzureStack -Include AzsPortalAPISummary -DetailedResults } 6>$null)
            [pscustomobject]@{ All = $all; Update = $update; Some = $some; Detailed = @($detailed | ForEach-Object { "$($_.Role)/$($_.Result)" }) } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal(DemoStampCategories, Strings(json.GetProperty("All")));
        Assert.Equal(["AzsInfraFileValidation"], Strings(json.GetProperty("Update")));
        Assert.Equal(["AzsNetworkInfra"], Strings(json.GetProperty("Some")));
        Assert.Equal(["Portal/PASS"], Strings(json.GetProperty("Detailed")));
    }

    [Fact]
    public async Task TestAzureStack_FiltersThatLeaveNothing_AreFalseWithAnError_AndAGroupsUndeclaredCategoriesAreWarnedAbout()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $errors = $null
            $nothing = Invoke-Command -Session $pep { Test-AzureStack -Group UpdateReadiness -Ignore AzsInfraFileValidation } -ErrorVariable errors -ErrorAction SilentlyContinue 6>$null 3>$null
            $update = Invoke-Command -Session $pep { Test-AzureStack -Group UpdateReadiness } -WarningVariable warnings 3>$null 6>$null
            [pscustomobject]@{ Nothing = "$nothing"; Error = $errors[0].FullyQualifiedErrorId; Message = "$($errors[0])"; Update = "$update"; Warning = "$warnings" } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal("False", json.GetProperty("Nothing").GetString());
        Assert.StartsWith("NoHealthTestsRan,", json.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.Contains("group UpdateReadiness with the given -Include and -Ignore selects no category", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal("True", json.GetProperty("Update").GetString());
        Assert.Contains("AzsActionPlanStatus, AzsStampBMCSummary, which this stamp does not declare: not tested", json.GetProperty("Warning").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAzureStackStampInformation_HasTheOriginalsShape_AndThisEndpointsExtras()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $info = Invoke-Command -Session $pep { Get-AzureStackStampInformation }
            [pscustomobject]@{
                AdminResourceManager = $info.AdminExternalEndpoints.AdminResourceManager; AdminPortal = $info.AdminExternalEndpoints.AdminPortal
                TenantResourceManager = $info.TenantExternalEndpoints.TenantResourceManager; TenantPortal = $info.TenantExternalEndpoints.TenantPortal
                Shown = "$($info.AdminExternalEndpoints)"
                Emergency = @($info.EmergencyConsoleIPAddresses); EmergencyEndpoints = @($info.EmergencyConsoleEndpoints); Nodes = $info.NumberOfNodes
                Published = @($info.PublishedEndpoints | ForEach-Object { "$($_.Audience)/$($_.Name)" }); Current = $info.CurrentInstance
            } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        string region = fixture.Manifest.Region, domain = fixture.Manifest.Domain;
        Assert.Equal($"https://adminmanagement.{region}.{domain}/", json.GetProperty("AdminResourceManager").GetString());
        Assert.Equal(fixture.Manifest.ExternalEndpoints.Single(e => e.Name == "adminportal").Url, json.GetProperty("AdminPortal").GetString());
        Assert.Equal($"https://management.{region}.{domain}/", json.GetProperty("TenantResourceManager").GetString());
        Assert.Equal(fixture.Manifest.ExternalEndpoints.Single(e => e.Name == "portal").Url, json.GetProperty("TenantPortal").GetString());
        Assert.StartsWith("@{AdminPortal=https://", json.GetProperty("Shown").GetString(), StringComparison.Ordinal);
        string[] emergency = Strings(json.GetProperty("Emergency"));
        Assert.Equal(Deployment.Instances.Select(i => i.Address), emergency);
        Assert.All(emergency, address => Assert.True(System.Net.IPAddress.TryParse(address, out _), address));
        Assert.Equal(Deployment.Instances.Select(i => $"{i.Address}:{i.Port}"), Strings(json.GetProperty("EmergencyEndpoints")));
        Assert.Equal(fixture.Manifest.Nodes.Count, json.GetProperty("Nodes").GetInt32());
        Assert.Equal(fixture.Manifest.ExternalEndpoints.Select(e => $"{e.Audience}/{e.Name}"), Strings(json.GetProperty("Published")));
        Assert.Equal(Deployment.Instances[0].Name, json.GetProperty("Current").GetString());
    }

    [Fact]
    public async Task TestAzureStack_UnknownCategory_IsAnErrorListingTheKnownOnes()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            try { Invoke-Command -Session $pep { Test-AzureStack -Include AzsTypo } -ErrorAction Stop } catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = "$_"; Category = "$($_.CategoryInfo.Category)" } | ConvertTo-Json -Compress }
            """);

        JsonElement json = fixture.Json(result);
        Assert.StartsWith("UnknownTestCategory,", json.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Equal("InvalidArgument", json.GetProperty("Category").GetString());
        Assert.Contains("AzsNetworkInfra", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAzureStackLog_InGermanCulture_CollectsEachRolesFilesOfTheWindowFileByFile()
    {
        string storageLogs = fixture.Manifest.FindRole("Storage")!.Logs[0].Path;
        string old = Path.Combine(storageLogs, "Storage-old.log");
        await File.WriteAllTextAsync(old, "an old day\n");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-3));

        ProcessResult result = await Deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000 -Culture de-DE
            $root = '{{fixture.OutputRoot}}'
            $recent = Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Storage, dns -OutputPath $using:root }
            $from = (Get-Date).ToUniversalTime().AddDays(-4)
            $to = (Get-Date).ToUniversalTime().AddDays(-2)
            $past = Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Storage -FromDate $using:from -ToDate $using:to -OutputPath $using:root }
            [pscustomobject]@{ Recent = @($recent | Select-Object Role, Archive, Files, Complete); Past = @($past | Select-Object Role, Archive, Files, Complete) } | ConvertTo-Json -Compress -Depth 4
            """);

        JsonElement json = fixture.Json(result);
        JsonElement[] recent = [.. json.GetProperty("Recent").EnumerateArray()];
        Assert.Equal(["DNS", "Storage"], recent.Select(r => r.GetProperty("Role").GetString()).Order());
        foreach (JsonElement archive in recent)
        {
            string role = archive.GetProperty("Role").GetString()!;
            string live = Path.Combine(fixture.Manifest.FindRole(role)!.Logs[0].Path, role + ".log");
            using ZipArchive zip = ZipFile.OpenRead(archive.GetProperty("Archive").GetString()!);
            ZipArchiveEntry entry = Assert.Single(zip.Entries);
            Assert.EndsWith(live, entry.FullName, StringComparison.Ordinal);
            byte[] copied = ReadAll(entry);
            byte[] now = await File.ReadAllBytesAsync(live);
            Assert.True(copied.Length > 0 && copied.Length <= now.Length);
            Assert.Equal(now[..copied.Length], copied);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(archive.GetProperty("Archive").GetString())!, "Get-AzureStackLog_Output.log")));
        }

        JsonElement past = Assert.Single(json.GetProperty("Past").EnumerateArray());
        using ZipArchive pastZip = ZipFile.OpenRead(past.GetProperty("Archive").GetString()!);
        ZipArchiveEntry pastEntry = Assert.Single(pastZip.Entries);
        Assert.EndsWith(old, pastEntry.FullName, StringComparison.Ordinal);
        Assert.Equal("an old day\n", System.Text.Encoding.UTF8.GetString(ReadAll(pastEntry)));
    }

    [Theory]
    [InlineData("Get-AzureStackLog -FilterByRole Storage, Nope -OutputPath $using:root", "UnknownRole")]
    [InlineData("Get-AzureStackLog -FromDate $using:now -ToDate $using:hourAgo -OutputPath $using:root", "FromDateAfterToDate")]
    [InlineData("Get-AzureStackLog -OutputPath '/etc'", "OutputPathNotAllowed")]
    [InlineData("Get-AzureStackLog -OutputPath $using:escape", "OutputPathNotAllowed")]
    [InlineData("Get-AzureStackLog -FilterByNode NODE99 -OutputPath $using:root", "UnknownNode")]
    public async Task GetAzureStackLog_BadInput_IsAnErrorWithItsId(string command, string errorId)
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + $$"""
            $root = '{{fixture.OutputRoot}}'
            $escape = $root + '/../'
            $now = [datetime]::UtcNow
            $hourAgo = $now.AddHours(-1)
            try { Invoke-Command -Session $pep { {{command}} } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            """);

        Assert.StartsWith(errorId + ",", SessionTests.LastLine(result), StringComparison.Ordinal);
    }

    /// <summary>PowerShell that follows the action whose id is in $jobId with Get-ActionStatus until it has ended, into $jobNow.</summary>
    private const string AwaitJob = """
        $deadline = (Get-Date).AddSeconds(120)
        do {
            if ((Get-Date) -gt $deadline) { throw 'the action never ended' }
            $jobNow = @(Invoke-Command -Session $pep { Get-ActionStatus -ActionId $using:jobId })[0]
        } while ($jobNow.State -eq 'Running')
        """;

    [Fact]
    public async Task GetClusterLog_WithTheOriginalsPositionAndAliases_CollectsTheNodesOwnLogs_AsJobToo_AndRefusesUnknownNodesAndOutsidePaths()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + $$"""
            $root = '{{fixture.OutputRoot}}'
            $node = @(Invoke-Command -Session $pep { Get-ClusterLog AZS-NODE01 -Destination $using:root -Span 60 -lt })
            $noState = @(Invoke-Command -Session $pep { Get-ClusterLog -Node AZS-NODE01 -Destination $using:root -TimeSpan 60 -scs })
            function Id([scriptblock] $call) { try { & $call; 'ran' } catch { $_.FullyQualifiedErrorId } }
            $unknown = Id { Invoke-Command -Session $pep { Get-ClusterLog -Destination $using:root -Node NODE99 } -ErrorAction Stop }
            $outside = Id { Invoke-Command -Session $pep { Get-ClusterLog -Destination '/tmp' } -ErrorAction Stop }
            $job = @(Invoke-Command -Session $pep { Get-ClusterLog AZS-NODE01 -Destination $using:root -AsJob } 6>$null)
            $jobId = $job[0].ActionId
            {{AwaitJob}}
            [pscustomobject]@{ Archives = @($node | ForEach-Object Archive); NoState = @($noState | ForEach-Object Archive); Unknown = $unknown; Outside = $outside
                Job = "$($job[0].FunctionName)|$($job[0].ActionType)|$($job.Count)"; JobEnded = "$($jobNow.State)|$($jobNow.Result)" } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        string archive = Assert.Single(Strings(json.GetProperty("Archives")));
        string withState = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(archive)!, "ClusterLog_Output.log"));
        Assert.Contains($"Cluster state of stamp {fixture.Manifest.Name}:\n  node AZS-NODE01", withState, StringComparison.Ordinal);
        Assert.Matches(@"Cluster logs from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d", withState);
        string withoutState = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(Assert.Single(Strings(json.GetProperty("NoState"))))!, "ClusterLog_Output.log"));
        Assert.DoesNotContain("Cluster state", withoutState, StringComparison.Ordinal);
        Assert.EndsWith("AZS-NODE01.zip", archive, StringComparison.Ordinal);
        using (ZipArchive zip = ZipFile.OpenRead(archive))
        {
            string dnsLog = Path.Combine(fixture.Manifest.FindRole("DNS")!.Logs[0].Path, "DNS.log");
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith(dnsLog, StringComparison.Ordinal));
        }

        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(archive)!, "ClusterLog_Output.log")));
        Assert.StartsWith("UnknownNode,", json.GetProperty("Unknown").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("OutputPathNotAllowed,", json.GetProperty("Outside").GetString(), StringComparison.Ordinal);
        Assert.Equal("Get-ClusterLog|LogCollection|1", json.GetProperty("Job").GetString());
        Assert.StartsWith("Succeeded|1 archives (", json.GetProperty("JobEnded").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAzureStackOnDemandLog_MakesTheRoleWriteALogThatTheNextCollectionTakes_AsATrackedAction_AndRefusesUnknownRoles()
    {
        string computeLogs = fixture.Manifest.FindRole("Compute")!.Logs[0].Path;
        int before = Directory.GetFiles(computeLogs, "Compute-ondemand-*.log").Length;
        ProcessResult result = await Deployment.RunClientAsync(Open + $$"""
            $root = '{{fixture.OutputRoot}}'
            $whatIf = @(Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog -FilterByRole Compute -WhatIf })
            $made = @(Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog Compute } 6>$null)
            $logs = @(Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Compute -OutputPath $using:root } 6>$null)
            $action = @(Invoke-Command -Session $pep { Get-ActionStatus -FunctionName Get-AzureStackLog })[0]
            $generated = @(Invoke-Command -Session $pep { Get-ActionStatus -ActionType OnDemandLog })
            $collected = @(Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog -Generate -FilterByRole Compute -OutputPath $using:root -TimeOutInMinutes 5 -SlbTimeOutInMinutes 2 } 6>$null)
            $job = @(Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog -FilterByRole Compute -AsJob } 6>$null)
            $jobId = $job[0].ActionId
            {{AwaitJob}}
            function Id([scriptblock] $call) { try { & $call; 'ran' } catch { $_.FullyQualifiedErrorId } }
            $unknown = Id { Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog -FilterByRole Nope } -ErrorAction Stop }
            $unknownAsJob = Id { Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog -FilterByRole Nope -AsJob } -ErrorAction Stop }
            $outside = Id { Invoke-Command -Session $pep { Invoke-AzureStackOnDemandLog -FilterByRole Compute -OutputPath /etc } -ErrorAction Stop }
            [pscustomobject]@{
                WhatIf = $whatIf.Count; Made = @($made | ForEach-Object { "$($_.Role):$($_.Succeeded)" }); Archive = $logs[0].Archive
                Action = "$($action.State)|$($action.Instance)|$($null -ne $action.EndedUtc)"; Result = $action.Result; Unknown = $unknown
                Generated = @($generated | ForEach-Object { "$($_.FunctionName)|$($_.State)" })
                Collected = @($collected | ForEach-Object { if ($_.PSObject.Properties['Archive']) { "archive:$($_.Role)|$($_.Archive)" } else { "$($_.Role):$($_.Succeeded)" } })
                Job = "$($job[0].FunctionName)|$($job[0].ActionType)|$($job.Count)"; JobEnded = "$($jobNow.State)|$($jobNow.Result)"
                UnknownAsJob = $unknownAsJob; Outside = $outside
            } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal(0, json.GetProperty("WhatIf").GetInt32());
        Assert.Equal(["Compute:True"], Strings(json.GetProperty("Made")));
        Assert.Equal(before + 3, Directory.GetFiles(computeLogs, "Compute-ondemand-*.log").Length);
        using (ZipArchive zip = ZipFile.OpenRead(json.GetProperty("Archive").GetString()!))
        {
            Assert.Contains(zip.Entries, e => Path.GetFileName(e.FullName).StartsWith("Compute-ondemand-", StringComparison.Ordinal));
        }

        Assert.Equal($"Succeeded|{Deployment.Instances[0].Name}|True", json.GetProperty("Action").GetString());
        Assert.StartsWith("1 archives (", json.GetProperty("Result").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Invoke-AzureStackOnDemandLog|Succeeded"], Strings(json.GetProperty("Generated")));
        string[] collected = Strings(json.GetProperty("Collected"));
        Assert.Equal(2, collected.Length);
        Assert.Equal("Compute:True", collected[0]);
        string archive = collected[1]["archive:Compute|".Length..];
        Assert.StartsWith("archive:Compute|" + fixture.OutputRoot, collected[1], StringComparison.Ordinal);
        using (ZipArchive zip = ZipFile.OpenRead(archive))
        {
            Assert.Contains(zip.Entries, e => Path.GetFileName(e.FullName).StartsWith("Compute-ondemand-", StringComparison.Ordinal));
        }

        Assert.Equal("Invoke-AzureStackOnDemandLog|OnDemandLog|1", json.GetProperty("Job").GetString());
        Assert.Equal("Succeeded|1 of 1 roles wrote their on-demand logs.", json.GetProperty("JobEnded").GetString());
        Assert.StartsWith("UnknownRole,", json.GetProperty("Unknown").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("UnknownRole,", json.GetProperty("UnknownAsJob").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("OutputPathNotAllowed,", json.GetProperty("Outside").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAzsDnsForwarder_WritesTheFileAndTheDnsRoleReloadsIt()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $set = Invoke-Command -Session $pep { Set-AzsDnsForwarder -IPAddress 10.0.0.53, '2001:db8::53' }
            $get = Invoke-Command -Session $pep { Get-AzsDnsForwarder }
            $bad = try { Invoke-Command -Session $pep { Set-AzsDnsForwarder -IPAddress 224.0.0.1 } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            $notIp = try { Invoke-Command -Session $pep { Set-AzsDnsForwarder -IPAddress 'not-an-address' } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Set = $set.IPAddress; Get = $get.IPAddress; Bad = $bad; NotIp = $notIp } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal(["10.0.0.53", "2001:db8::53"], Strings(json.GetProperty("Get")));
        Assert.StartsWith("InvalidDnsForwarder,", json.GetProperty("Bad").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("CannotConvertArgument", json.GetProperty("NotIp").GetString(), StringComparison.Ordinal);
        string dnsLog = Path.Combine(fixture.Manifest.FindRole("DNS")!.Logs[0].Path, "DNS.log");
        Assert.True(await Eventually(() => File.ReadAllText(dnsLog).Contains("reloaded configuration: # DNS forwarders, written by Set-AzsDnsForwarder 10.0.0.53 2001:db8::53", StringComparison.Ordinal)),
            "The DNS role did not reload the new forwarders.");
    }

    [Fact]
    public async Task LegalNotice_IsShownByEveryNewSessionBeforeItsFirstPrompt()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $null = Invoke-Command -Session $pep { Set-AzSLegalNotice -Caption 'Authorised use only' -Text 'Activity on this endpoint is recorded.' }
            $warnings = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
            $get = Invoke-Command -Session $pep { Get-AzSLegalNotice }
            $null = Invoke-Command -Session $pep { Set-AzSLegalNotice -Caption '' -Text '' }
            $control = try { Invoke-Command -Session $pep { Set-AzSLegalNotice -Caption "x`e[2J" -Text 'y' } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Warning = "$warnings"; Caption = $get.Caption; Control = $control } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal("Authorised use only", json.GetProperty("Caption").GetString());
        Assert.Contains("Authorised use only", json.GetProperty("Warning").GetString(), StringComparison.Ordinal);
        Assert.Contains("Activity on this endpoint is recorded.", json.GetProperty("Warning").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("LegalNoticeHasControlCharacters,", json.GetProperty("Control").GetString(), StringComparison.Ordinal);
        // The gateway handed the notice over with the login (no command of the session asked for it), so its record of
        // the new session says so.
        Assert.True(await Eventually(() => RecordedNotices().Any(l => l.Contains("Authorised use only | Activity on this endpoint is recorded.", StringComparison.Ordinal))),
            "No gateway record holds the legal notice handed to the new session.");
    }

    /// <summary>The Notice lines of every instance's gateway records, live and sealed.</summary>
    private IEnumerable<string> RecordedNotices()
        => Directory.EnumerateDirectories(Path.Combine(Deployment.Layout.Root, "instances"))
            .SelectMany(instance => new[] { (Path.Combine(instance, "gateway-records"), "record.log"), (Path.Combine(instance, "transcripts", "sealed"), "*.txt") })
            .Where(place => Directory.Exists(place.Item1))
            .SelectMany(place => Directory.EnumerateFiles(place.Item1, place.Item2, SearchOption.AllDirectories))
            .SelectMany(file =>
            {
                try
                {
                    return File.ReadAllLines(file);
                }
                catch (IOException)
                {
                    return [];
                }
            })
            .Where(line => line.Contains(" Notice ", StringComparison.Ordinal));

    [Fact]
    public async Task ThirdPartyNotices_NameWhatTheEndpointShipsWithTheirLicences()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            [pscustomobject]@{ Text = (Invoke-Command -Session $pep { Get-ThirdPartyNotices }) } | ConvertTo-Json -Compress
            """);

        string text = fixture.Json(result).GetProperty("Text").GetString()!;
        foreach (string expected in new[] { "PowerShell", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "System.CommandLine", "Apache License", "Permission is hereby granted" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryEndpointCommand_HasHelpWithSynopsisDescriptionAndExample()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $names = Invoke-Command -Session $pep { Get-Command -CommandType Cmdlet } | ForEach-Object Name
            $missing = foreach ($name in $names) {
                $help = Invoke-Command -Session $pep { Get-Help $using:name -Full } | Out-String -Width 300
                if ($help -notmatch 'SYNOPSIS' -or $help -notmatch 'DESCRIPTION' -or $help -notmatch '(?i)EXAMPLE 1') { $name }
            }
            [pscustomobject]@{ Names = @($names); Missing = @($missing) } | ConvertTo-Json -Compress
            """, timeout: CommandByCommand);

        JsonElement json = fixture.Json(result);
        Assert.Empty(Strings(json.GetProperty("Missing")));
        Assert.Equal(ExpectedCommands.EndpointCmdlets.Order(StringComparer.Ordinal), Strings(json.GetProperty("Names")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportPSSession_Proxies_RunTheStampCmdlets()
    {
        ProcessResult result = await Deployment.RunClientAsync(Open + """
            $null = Import-PSSession $pep -CommandName Test-AzureStack, Get-AzsDnsForwarder, Get-CloudAdminUserList -Prefix Pep -AllowClobber
            $ok = Test-PepAzureStack -Include AzsNetworkInfra 6>$null
            [pscustomobject]@{ Ok = ($ok -eq $true); Role = (Get-PepAzsDnsForwarder).Role; Users = @(Get-PepCloudAdminUserList | ForEach-Object UserName) } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.True(json.GetProperty("Ok").GetBoolean());
        Assert.Equal("DNS", json.GetProperty("Role").GetString());
        Assert.Contains(TestDeployment.AdminUser, Strings(json.GetProperty("Users")));
    }

    private static string[] Strings(JsonElement array)
        => array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : array.ValueKind == JsonValueKind.Null ? [] : [array.GetString()!];

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    internal static async Task<bool> Eventually(Func<bool> condition, int seconds = 20)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
