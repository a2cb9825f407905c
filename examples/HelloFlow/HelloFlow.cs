using Sharpflow;

return await FlowMain.RunAsync<HelloFlow>(args);

/// <summary>The smallest interesting flow: a parameter, a foreach fan-out and a join.</summary>
public class HelloFlow : FlowSpec
{
    [Parameter(Help = "Who to greet")] public string Name { get; set; } = "world";

    public List<string> Greetings = [];
    public string Message = "";

    [Step]
    public void Start()
    {
        Greetings = ["Hello", "Hola", "Bonjour"];
        Next(Greet, forEach: nameof(Greetings));
    }

    [Step]
    public void Greet()
    {
        Message = $"{Input<string>()}, {Name}!";
        Console.WriteLine(Message);
        Next(Join);
    }

    [Step]
    public void Join(Inputs<HelloFlow> inputs)
    {
        Message = string.Join(" / ", inputs.Select(i => i.Message));
        Next(End);
    }

    [Step]
    public void End() => Console.WriteLine($"All greetings: {Message}");
}
