using System.CommandLine;
using Pep.Cli.Commands;
using Pep.Cli.Demo;

var root = new RootCommand("The privileged endpoint: a restricted, transcribed PowerShell endpoint for operators of a cloud stamp.")
{
    InitCommand.Create(),
    ServeCommand.Create(),
    DemoCommand.Create(),
    VerifyCommand.Create(),
    AccountCommand.Create(),
    AuthorityCommand.Create(),
    RoleServiceCommand.Create(),
    DemoBmcCommand.Create(),
    SshDoorKeeperCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
