namespace Sharpflow.TestFlows;

/// <summary>A flow whose middle step runs over SSH on a "GPU machine" (the loopback sshd of the tests).</summary>
public class SshFlow : FlowSpec
{
    public List<int> Numbers = [];
    public int Sum;
    public string User = "";
    public string Gpus = "";

    [Step] public void Start() { Numbers = [1, 2, 3, 4]; Next(Work); }

    [Step, Ssh, Resources(Gpu = 1)]
    public void Work()
    {
        User = Environment.UserName;
        Gpus = string.Join(",", Current.Gpus);
        Sum = Numbers.Sum();
        Console.WriteLine($"working as {User} on GPU {Gpus}");
        Next(End);
    }

    [Step] public void End() { }
}
