namespace FedNano.Reconstruction.Phantoms;

/// <summary>The patient's side (the patient's right is −x in the scanner frame).</summary>
public enum BodySide
{
    /// <summary>The patient's right (x &lt; 0).</summary>
    Right,

    /// <summary>The patient's left (x &gt; 0).</summary>
    Left,
}
