namespace FedNano.Reconstruction.DicomIo;

/// <summary>How a projection view's detector grid is laid out in the DICOM image.</summary>
public enum ProjectionPixelLayout
{
    /// <summary>
    /// As in the public Mayo/TCIA DICOM-CT-PD files: Rows (0028,0010) = detector channels (columns of the
    /// detector), Columns (0028,0011) = detector rows, so one image row holds one channel across all detector rows.
    /// </summary>
    ChannelsAsImageRows,

    /// <summary>Transposed: Rows (0028,0010) = detector rows, Columns (0028,0011) = detector channels.</summary>
    DetectorRowsAsImageRows,
}
