namespace TrainFlowExample;

/// <summary>One point of the hyperparameter sweep.</summary>
public sealed record Candidate(string Trainer, float L2, int Iterations)
{
    public override string ToString() => $"{Trainer}(l2={L2}, iterations={Iterations})";
}

/// <summary>How one candidate did on the held-out rows.</summary>
public sealed record Score(Candidate Candidate, double Auc, double Accuracy, double F1, double TrainSeconds);
