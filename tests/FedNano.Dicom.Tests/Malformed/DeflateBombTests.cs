using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Malformed;

public class DeflateBombTests
{
    private static byte[] DeflatedFileWithZeros(int zeroBytes)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4")
            .AddOrUpdate(DicomTags.EncapsulatedDocument, DicomVR.OB, new byte[zeroBytes]);
        return new DicomFile(ds).ToBytes(DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
    }

    [Fact]
    public void A_deflated_dataset_that_inflates_past_the_limit_is_rejected()
    {
        var bytes = DeflatedFileWithZeros(32 << 20);
        Assert.True(bytes.Length < 1 << 20, "zeros compress well, so the input is small");
        var ex = Assert.Throws<DicomFormatException>(() =>
            DicomFile.Read(bytes, new DicomReadOptions { MaxInflatedBytes = 8 << 20 }));
        Assert.Contains("exceeds the limit", ex.Message);
    }

    [Fact]
    public void A_deflated_dataset_within_the_limit_reads_fully()
    {
        var file = DicomFile.Read(DeflatedFileWithZeros(4 << 20), new DicomReadOptions { MaxInflatedBytes = 8 << 20 });
        Assert.Equal(4 << 20, ((DicomElement)file.Dataset.GetItem(DicomTags.EncapsulatedDocument)!).Length);
    }
}
