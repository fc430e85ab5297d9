namespace FedNano.Reconstruction.Networks;

/// <summary>Where training stood when a checkpoint was written, for resuming.</summary>
/// <param name="Epoch">Completed epochs.</param>
/// <param name="Step">Completed optimiser steps.</param>
public sealed record NetworkCheckpointProgress(int Epoch, long Step)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A count is negative.</exception>
    public void Validate()
    {
        if (Epoch < 0 || Step < 0)
        {
            throw new ArgumentException($"Training progress epoch {Epoch}, step {Step} cannot be negative.");
        }
    }
}
