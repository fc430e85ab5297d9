namespace FedNano.Reconstruction.Analytic;

/// <summary>Apodisation window applied to the ramp filter of filtered backprojection.</summary>
public enum ReconstructionFilter
{
    /// <summary>Unwindowed ramp (Ram-Lak): sharpest, noisiest.</summary>
    RamLak,

    /// <summary>Ramp × sinc(f / 2f<sub>max</sub>) (Shepp–Logan): slightly smoother.</summary>
    SheppLogan,

    /// <summary>Ramp × ½(1 + cos(π f / f<sub>max</sub>)) (Hann): smooth, lower noise.</summary>
    Hann,
}
