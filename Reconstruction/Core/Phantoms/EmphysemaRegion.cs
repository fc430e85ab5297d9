namespace FedNano.Reconstruction.Phantoms;

/// <summary>An emphysema region as drawn: an axis-aligned ellipsoid applied to one lung's parenchyma.</summary>
internal sealed record EmphysemaRegion(BodySide Side, Vector3Mm Center, double SemiXMm, double SemiYMm, double SemiZMm, float ValueHu)
{
    /// <summary>Squared normalised radius of a point.</summary>
    public double Radius2(double x, double y, double z)
    {
        double u = (x - Center.X) / SemiXMm, v = (y - Center.Y) / SemiYMm, w = (z - Center.Z) / SemiZMm;
        return u * u + v * v + w * w;
    }
}
