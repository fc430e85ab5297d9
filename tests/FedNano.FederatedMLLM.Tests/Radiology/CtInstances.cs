using System.Runtime.InteropServices;
using FedNano.Dicom;

namespace FedNano.FederatedMLLM.Tests.Radiology;

/// <summary>Axial CT image instances built field by field, as a scanner would store them (int16 with a rescale).</summary>
internal static class CtInstances
{
    /// <summary>One slice at <paramref name="zMm"/> whose HU values are <paramref name="hu"/>(column, row).</summary>
    public static DicomDataset Slice(double zMm, int size, double pixelMm, Func<int, int, double> hu, double originXMm = double.NaN, double originYMm = double.NaN,
        string study = "1.2.826.0.1.3680043.10.1.1", string series = "1.2.826.0.1.3680043.10.1.2", double intercept = -1024)
    {
        double x0 = double.IsNaN(originXMm) ? -(size - 1) / 2.0 * pixelMm : originXMm;
        double y0 = double.IsNaN(originYMm) ? -(size - 1) / 2.0 * pixelMm : originYMm;
        var bytes = new byte[size * size * 2];
        var stored = MemoryMarshal.Cast<byte, short>(bytes.AsSpan());
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
                stored[r * size + c] = (short)Math.Round(hu(c, r) - intercept);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, x0, y0, zMm);
        ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, pixelMm, pixelMm);
        ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, 5.0);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)size);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)size);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, intercept);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
        ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, bytes));
        return ds;
    }
}
