namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Anatomical landmarks of a generated head: sizes and levels for report wording, and reference points inside
/// known tissues for checks.
/// </summary>
/// <param name="HeadWidthMm">Greatest left–right width of the skull (mm).</param>
/// <param name="HeadLengthMm">Greatest anteroposterior length of the skull (mm).</param>
/// <param name="VertexZMm">z of the top of the head (skin) (mm).</param>
/// <param name="ChinZMm">z of the bottom of the mandible (mm).</param>
/// <param name="OcclusalPlaneZMm">z of the plane where upper and lower teeth meet (mm).</param>
/// <param name="BrainPoint">A point in cerebral white matter (mm).</param>
/// <param name="VentriclePoint">A point in a lateral ventricle (mm).</param>
/// <param name="RightEyeCenter">Centre of the right globe (mm).</param>
/// <param name="LeftEyeCenter">Centre of the left globe (mm).</param>
/// <param name="MolarDentinPoint">A point in the dentin of the upper right first molar's crown (tooth 16) (mm).</param>
public sealed record HeadLandmarks(
    double HeadWidthMm,
    double HeadLengthMm,
    double VertexZMm,
    double ChinZMm,
    double OcclusalPlaneZMm,
    PointMm BrainPoint,
    PointMm VentriclePoint,
    PointMm RightEyeCenter,
    PointMm LeftEyeCenter,
    PointMm MolarDentinPoint);
