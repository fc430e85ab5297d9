using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Malformed;

/// <summary>Random damage to valid files (fixed seeds): the reader's contract holds for every mutant.</summary>
public class FuzzTests
{
    private static byte[] Mutate(byte[] valid, Random rnd, int from)
    {
        var bytes = (byte[])valid.Clone();
        var flips = rnd.Next(1, 5);
        for (var f = 0; f < flips; f++)
        {
            var at = rnd.Next(from, bytes.Length);
            bytes[at] = rnd.Next(4) switch
            {
                0 => (byte)(bytes[at] ^ (1 << rnd.Next(8))), // one bit
                1 => 0xFF,
                2 => 0x00,
                _ => (byte)rnd.Next(256),
            };
        }
        return bytes;
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1", 1)]
    [InlineData("1.2.840.10008.1.2", 2)]
    public void Two_thousand_random_byte_flips_of_a_valid_file_never_break_the_reader_contract(string uid, int seed)
    {
        var valid = new DicomFile(SyntheticDatasets.SmallImage()).ToBytes(DicomTransferSyntax.Parse(uid));
        var rnd = new Random(seed);
        var outcomes = new List<MalformedOutcome>();
        for (var i = 0; i < 2000; i++)
            outcomes.Add(MalformedHarness.Read(Mutate(valid, rnd, 128), $"{uid} mutant {i} (seed {seed})"));
        var tally = MalformedHarness.Tally(outcomes);
        Assert.True(tally[MalformedOutcome.FormatError] + tally[MalformedOutcome.ReadWithWarnings] > 0);
    }

    [Fact]
    public void Random_byte_flips_of_a_rich_file_never_break_the_reader_contract()
    {
        var rich = SyntheticDatasets.Rich();
        rich.Remove(SyntheticDatasets.BigLoTag); // keep the file small so that flips land in structure
        var valid = new DicomFile(rich).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);
        var rnd = new Random(3);
        for (var i = 0; i < 500; i++)
            MalformedHarness.Read(Mutate(valid, rnd, 128), $"rich mutant {i}");
    }

    [Fact]
    public void Whatever_the_reader_accepts_can_be_dumped_and_written_again()
    {
        var valid = new DicomFile(SyntheticDatasets.SmallImage()).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);
        var rnd = new Random(11);
        for (var i = 0; i < 500; i++)
        {
            var bytes = Mutate(valid, rnd, 128);
            DicomFile file;
            try { file = DicomFile.Read(bytes); }
            catch (DicomFormatException) { continue; }
            try
            {
                _ = DicomDump.Format(file);
                _ = DicomFile.Read(file.ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian));
            }
            catch (Exception ex) when (ex is DicomDataException or DicomFormatException)
            {
                // A value that cannot be interpreted or re-encoded is a reported data problem, not a crash.
            }
            catch (Exception ex)
            {
                Assert.Fail($"mutant {i}: {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
            }
        }
    }
}
