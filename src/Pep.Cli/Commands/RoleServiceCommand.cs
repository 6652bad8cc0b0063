using System.CommandLine;
using Pep.Cli.RoleService;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep role-service run|start|stop|status|reload|dump-logs</c> (hidden): the demo stamp's role services and the
/// commands its manifest declares for them.
/// </summary>
internal static class RoleServiceCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Required = true };
        var port = new Option<int>("--port") { Required = true };
        var logDirectory = new Option<string>("--log-dir") { Required = true };
        var pidFile = new Option<string>("--pid-file") { Required = true };
        var config = new Option<string[]>("--config") { Description = "A configuration file (repeatable: the service reads them in order)." };
        var timeout = new Option<int>("--timeout") { DefaultValueFactory = _ => 20 };
        var command = new Command("role-service", "Run or control a demo role service.") { Hidden = true };

        RoleServiceOptions Options(ParseResult parse) => new(parse.GetValue(name)!, parse.GetValue(port), Path.GetFullPath(parse.GetValue(logDirectory)!),
            Path.GetFullPath(parse.GetValue(pidFile)!), [.. (parse.GetValue(config) ?? []).Select(Path.GetFullPath)]);

        Command Verb(string verb, Func<ParseResult, Task<int>> action)
        {
            var sub = new Command(verb) { name, port, logDirectory, pidFile, config, timeout };
            sub.SetAction((parse, _) => action(parse));
            return sub;
        }

        command.Subcommands.Add(Verb("run", parse => RoleServiceHost.RunAsync(Options(parse))));
        command.Subcommands.Add(Verb("start", parse => RoleServiceControl.StartAsync(Options(parse), TimeSpan.FromSeconds(parse.GetValue(timeout)))));
        command.Subcommands.Add(Verb("stop", parse => RoleServiceControl.StopAsync(Options(parse), TimeSpan.FromSeconds(parse.GetValue(timeout)))));
        command.Subcommands.Add(Verb("status", parse => Task.FromResult(RoleServiceControl.Status(Options(parse)))));
        command.Subcommands.Add(Verb("reload", parse => RoleServiceControl.ReloadAsync(Options(parse))));
        command.Subcommands.Add(Verb("dump-logs", parse => Task.FromResult(RoleServiceControl.DumpLogs(Options(parse), TimeProvider.System))));
        return command;
    }
}
