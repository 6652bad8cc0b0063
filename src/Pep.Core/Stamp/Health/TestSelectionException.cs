namespace Pep.Core.Stamp.Health;

/// <summary>A group or category name the stamp does not know; ErrorId and Name make the cmdlet's error record.</summary>
public sealed class TestSelectionException : Exception
{
    public TestSelectionException(string errorId, string name, string message) : base(message)
    {
        ErrorId = errorId;
        Name = name;
    }

    public string ErrorId { get; }

    public string Name { get; }
}
