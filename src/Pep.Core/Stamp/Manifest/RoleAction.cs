namespace Pep.Core.Stamp.Manifest;

public enum RoleAction
{
    Stop,
    Start,
}
