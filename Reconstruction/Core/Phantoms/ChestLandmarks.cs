namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Anatomical landmarks of a generated chest: sizes and levels for report wording, and reference points inside
/// known tissues for checks. The lung points lie in parenchyma well away from the hilum and the pleura (a small
/// peripheral vessel may still cross them); the vertebral point is the centre of a vertebral body (cancellous bone).
/// </summary>
/// <param name="BodyWidthMm">Left–right body width at mid-thorax (mm).</param>
/// <param name="BodyDepthMm">Anteroposterior body depth at mid-thorax (mm).</param>
/// <param name="LungApexZMm">Highest z of the lungs (mm).</param>
/// <param name="CarinaZMm">z of the tracheal bifurcation (mm).</param>
/// <param name="RightDiaphragmDomeZMm">z of the top of the right hemidiaphragm (mm).</param>
/// <param name="LeftDiaphragmDomeZMm">z of the top of the left hemidiaphragm (mm).</param>
/// <param name="LungBaseZMm">Lowest z of the lungs, in the posterior costophrenic recesses (mm).</param>
/// <param name="HeartCenter">Centre of the heart (mm).</param>
/// <param name="RightLungPoint">A point in right-lung parenchyma (mm).</param>
/// <param name="LeftLungPoint">A point in left-lung parenchyma (mm).</param>
/// <param name="VertebralBodyCenter">Centre of the vertebral body nearest the heart's centre (mm).</param>
/// <param name="DescendingAortaCenter">Centre of the descending aorta at the heart's centre level (mm).</param>
public sealed record ChestLandmarks(
    double BodyWidthMm,
    double BodyDepthMm,
    double LungApexZMm,
    double CarinaZMm,
    double RightDiaphragmDomeZMm,
    double LeftDiaphragmDomeZMm,
    double LungBaseZMm,
    PointMm HeartCenter,
    PointMm RightLungPoint,
    PointMm LeftLungPoint,
    PointMm VertebralBodyCenter,
    PointMm DescendingAortaCenter);
