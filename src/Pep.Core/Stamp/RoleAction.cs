namespace Pep.Core.Stamp;

public enum RoleAction
{
    Stop,
    Start,
}
