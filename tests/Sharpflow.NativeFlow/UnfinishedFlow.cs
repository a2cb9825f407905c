namespace Sharpflow.NativeFlows;

/// <summary>
/// A flow still being written (its Start names no next step): its graph is recorded as it is, and the native program
/// refuses to run it with the rule the JIT build gives.
/// </summary>
public class UnfinishedFlow : FlowSpec
{
    [Step]
    public void Start()
    {
    }

    [Step]
    public void End()
    {
    }
}

/// <summary>
/// A flow whose build cannot be read (a parameter without a setter): the publish warns, records why, and still ships the
/// program's other flows; the native program refuses it with that message.
/// </summary>
public class ReadOnlyParameterFlow : FlowSpec
{
    [Parameter] public int Size { get; } = 1;

    [Step]
    public void Start() => Next(End);

    [Step]
    public void End()
    {
    }
}
