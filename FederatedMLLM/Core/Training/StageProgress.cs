namespace FedNano.FederatedMLLM.Training;

/// <summary>Where training stands, reported after every step.</summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Step">Steps done in this stage.</param>
/// <param name="Steps">Steps in this stage.</param>
/// <param name="Loss">This step's loss.</param>
/// <param name="Seconds">Seconds since the stage started.</param>
public sealed record StageProgress(string Stage, int Step, int Steps, double Loss, double Seconds);
