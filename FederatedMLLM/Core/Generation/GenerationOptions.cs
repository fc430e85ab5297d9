namespace FedNano.FederatedMLLM.Generation;

/// <summary>How text is generated.</summary>
public sealed class GenerationOptions
{
    /// <summary>Most tokens to generate (default 64).</summary>
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>Softmax temperature; 0 (the default) is greedy decoding.</summary>
    public double Temperature { get; set; }

    /// <summary>Nucleus sampling (Holtzman et al. 2020): sample from the smallest set of tokens whose probability reaches this (default 0.9; used when Temperature &gt; 0).</summary>
    public double TopP { get; set; } = 0.9;

    /// <summary>Seed of the sampler, so a sampled answer can be reproduced.</summary>
    public int Seed { get; set; }

    /// <summary>Generation stops when the decoded text contains one of these (it is cut before it), or at the end-of-sequence token.</summary>
    public IReadOnlyList<string> StopSequences { get; set; } = [];

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxNewTokens is < 1 or > 4096) throw new ArgumentException($"MaxNewTokens {MaxNewTokens} is outside 1..4096.");
        if (!(Temperature >= 0 && Temperature <= 10)) throw new ArgumentException($"Temperature {Temperature} is outside [0, 10].");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"TopP {TopP} is outside (0, 1].");
    }
}
