namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// One rib (the same on both sides), followed around the thorax by the angle θ from the posterior midline
/// (0) to the anterior midline (π). The bony rib runs from its head beside the vertebra (θ0) to θ_end, dropping
/// in z as it goes forward (ribs slope down anteriorly); an optional costal cartilage continues to the sternum.
/// Its cross-section is an ellipse in (distance outside the thoracic cavity, z).
/// </summary>
internal sealed class ChestRib
{
    public ChestRib(int number, double headZMm, double thetaStartRad, double thetaEndRad, double cartilageEndRad,
        double dropMm, double cartilageRiseMm, double semiRadialMm, double semiZMm)
    {
        Number = number;
        HeadZMm = headZMm;
        ThetaStartRad = thetaStartRad;
        ThetaEndRad = thetaEndRad;
        CartilageEndRad = cartilageEndRad;
        DropMm = dropMm;
        CartilageRiseMm = cartilageRiseMm;
        SemiRadialMm = semiRadialMm;
        SemiZMm = semiZMm;
        double endZ = headZMm - dropMm;
        ZMinMm = Math.Min(endZ, endZ + cartilageRiseMm) - semiZMm;
        ZMaxMm = Math.Max(headZMm, endZ + cartilageRiseMm) + semiZMm;
    }

    public int Number { get; }

    public double HeadZMm { get; }

    public double ThetaStartRad { get; }

    public double ThetaEndRad { get; }

    /// <summary>End of the costal cartilage; equal to <see cref="ThetaEndRad"/> when the rib has none.</summary>
    public double CartilageEndRad { get; }

    public double DropMm { get; }

    public double CartilageRiseMm { get; }

    public double SemiRadialMm { get; }

    public double SemiZMm { get; }

    public double ZMinMm { get; }

    public double ZMaxMm { get; }

    /// <summary>z of the rib's centre line at angle θ (within [θ0, cartilage end]).</summary>
    public double CenterZMm(double thetaRad)
    {
        if (thetaRad <= ThetaEndRad)
        {
            double s = (thetaRad - ThetaStartRad) / (ThetaEndRad - ThetaStartRad);
            return HeadZMm - DropMm * s * s;
        }
        double c = (thetaRad - ThetaEndRad) / (CartilageEndRad - ThetaEndRad);
        return HeadZMm - DropMm + CartilageRiseMm * c;
    }
}
