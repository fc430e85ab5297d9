namespace FedNano.Reconstruction.Training;

/// <summary>The three stages of the dual-domain training recipe, in the order they run.</summary>
public enum TrainingStage
{
    /// <summary>Projection CNN alone, loss against the dense noiseless sinogram of the slice.</summary>
    ProjectionPretrain,

    /// <summary>Image CNN alone, on FBP images of the interpolated sparse sinogram, loss against the phantom.</summary>
    ImagePretrain,

    /// <summary>The whole cascade from the two pre-trained networks, loss on the final image.</summary>
    EndToEnd,
}
