namespace FedNano.Reconstruction.Analytic;

/// <summary>The analytic helical reconstruction methods.</summary>
public enum AnalyticMethod
{
    /// <summary>Single-slice rebinning to a full-rotation fan-beam sinogram, then fan-beam FBP.</summary>
    SsrFbp,

    /// <summary>360° helical linear interpolation, then full-scan fan-beam FBP.</summary>
    Li360,

    /// <summary>180° helical linear interpolation with complementary rays, then short-scan FBP with Parker weights.</summary>
    Li180,
}
