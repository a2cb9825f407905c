namespace Sharpflow.Tests.Flows;

public sealed class Model
{
    public List<string> Layers { get; set; } = [];
}

/// <summary>Siblings mutate what they inherited; none of them may see another's change.</summary>
public class ValueSemanticsFlow : FlowSpec
{
    public List<int> Items = [];
    public List<int> Shared = [];
    public Model Model = new();
    public string Seen = "";

    [Step]
    public void Start()
    {
        Items = [0, 1, 2, 3];
        Shared = [100];
        Model = new Model { Layers = ["base"] };
        Next(Mutate, forEach: nameof(Items));
    }

    [Step]
    public async Task Mutate()
    {
        var item = Input<int>();
        Shared.Add(item);
        Model.Layers.Add($"layer{item}");
        await Task.Delay(5 * (4 - item));
        Seen = $"{string.Join(",", Shared)}|{string.Join(",", Model.Layers)}";
        Next(Join);
    }

    [Step]
    public void Join(Inputs<ValueSemanticsFlow> inputs)
    {
        inputs[0].Shared.Add(999); // changing an input changes nothing stored
        Seen = string.Join(";", inputs.Select(i => i.Seen));
        Next(End);
    }

    [Step] public void End() { }
}
