using System.Runtime.InteropServices;
using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.DicomService.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Tests.Core;

/// <summary>The Core services over a real SQLite index and real files in a fresh temporary data directory.</summary>
internal sealed class CoreTestStorage : IDisposable
{
    private readonly bool _ownsRoot;

    public CoreTestStorage(Action<StorageOptions>? configure = null, string? root = null, bool initialize = true)
    {
        _ownsRoot = root is null;
        Root = root ?? Path.Combine(Path.GetTempPath(), "fednano-core-tests", Guid.NewGuid().ToString("N"));
        Services = new ServiceCollection()
            .AddDicomServiceCore(o =>
            {
                o.DataDirectory = Root;
                o.FlushToDisk = false; // tests do not need power-loss durability
                configure?.Invoke(o);
            })
            .BuildServiceProvider();
        if (initialize) Recovery = Initialize();
    }

    public string Root { get; }
    public ServiceProvider Services { get; }
    public RecoveryReport? Recovery { get; private set; }

    public StorageOptions Options => Services.GetRequiredService<IOptions<StorageOptions>>().Value;
    public IStoreService Store => Services.GetRequiredService<IStoreService>();
    public IQueryService Query => Services.GetRequiredService<IQueryService>();
    public IRetrieveService Retrieve => Services.GetRequiredService<IRetrieveService>();
    public IBulkDataService BulkData => Services.GetRequiredService<IBulkDataService>();
    public IDeleteService Delete => Services.GetRequiredService<IDeleteService>();
    public IChangeFeedService ChangeFeed => Services.GetRequiredService<IChangeFeedService>();
    public IIndexStore Index => Services.GetRequiredService<IIndexStore>();
    public IInstanceStore Instances => Services.GetRequiredService<IInstanceStore>();

    public RecoveryReport Initialize() => Services.GetRequiredService<IStartupRecovery>().InitializeAsync().GetAwaiter().GetResult();

    /// <summary>Writes a Part 10 file to the staging directory, as the host does with a STOW part.</summary>
    public string Stage(DicomDataset dataset, DicomTransferSyntax? syntax = null)
    {
        Directory.CreateDirectory(Options.StagingPath);
        var path = Path.Combine(Options.StagingPath, Guid.NewGuid().ToString("N") + ".part");
        new DicomFile(dataset).Save(path, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
        return path;
    }

    public string StageBytes(byte[] bytes)
    {
        Directory.CreateDirectory(Options.StagingPath);
        var path = Path.Combine(Options.StagingPath, Guid.NewGuid().ToString("N") + ".part");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public async Task<StowInstanceResult> StoreOneAsync(DicomDataset dataset, DicomTransferSyntax? syntax = null, string? study = null)
    {
        var result = await Store.StoreAsync([new StagedPart(Stage(dataset, syntax), "application/dicom")], study, CancellationToken.None);
        return Assert.Single(result.Instances);
    }

    /// <summary>Stores each dataset in its own request, in order (so storage order, and QIDO order, is deterministic).</summary>
    public async Task StoreAllAsync(params DicomDataset[] datasets)
    {
        foreach (var dataset in datasets)
        {
            var result = await StoreOneAsync(dataset);
            Assert.True(result.FailureReason is null, result.Message);
        }
    }

    public Task<QueryResult> SearchAsync(ResourceLevel level, params (string Key, string Value)[] parameters) =>
        SearchAsync(level, null, null, parameters);

    public Task<QueryResult> SearchAsync(ResourceLevel level, string? study, string? series, params (string Key, string Value)[] parameters) =>
        Query.SearchAsync(new QueryRequest(level, study, series, parameters.Select(p => KeyValuePair.Create(p.Key, p.Value)).ToList()), CancellationToken.None);

    public async Task<StoredInstance> FindOneAsync(InstanceKey key) =>
        Assert.Single(await Retrieve.FindAsync(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, CancellationToken.None));

    public string[] InstanceFiles() => Directory.Exists(Options.InstancesPath)
        ? Directory.GetFiles(Options.InstancesPath, "*", SearchOption.AllDirectories)
        : [];

    public void Dispose()
    {
        Services.Dispose();
        SqliteConnection.ClearAllPools();
        if (!_ownsRoot) return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small synthetic instances built with the codec.</summary>
internal static class CoreInstances
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public static string NewUid() => DicomUid.Generate();

    public static DicomDataset Ct(string study, string series, string sop, int rows = 4, int columns = 4, int frames = 1,
        int instanceNumber = 1, int seriesNumber = 1, string patientName = "Doe^Jane", string patientId = "PID-1",
        string studyDate = "20240131", string studyTime = "120000", string modality = "CT", bool pixels = true, int seed = 0)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop)
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, studyDate)
            .AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, studyTime)
            .AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC-" + patientId)
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality)
            .AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "FedNano")
            .AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "Ref^Doctor")
            .AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "Core test study")
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "Core test series " + seriesNumber)
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, patientName)
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, patientId)
            .AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19700101")
            .AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "F")
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study)
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series)
            .AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "S1")
            .AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, seriesNumber)
            .AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, instanceNumber);
        if (!pixels) return ds;
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)12)
            .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11)
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        if (frames > 1) ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, Pixels(rows, columns, frames, seed)));
        return ds;
    }

    /// <summary>Distinct 12-bit values per frame, so frames can be told apart.</summary>
    public static byte[] Pixels(int rows, int columns, int frames, int seed = 0)
    {
        var values = new ushort[rows * columns * frames];
        for (var i = 0; i < values.Length; i++) values[i] = (ushort)((i * 7 + seed * 13 + i / (rows * columns) * 101) & 0x0FFF);
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    public static byte[] Bytes(DicomDataset dataset, DicomTransferSyntax? syntax = null) =>
        new DicomFile(dataset).ToBytes(syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var ms = new MemoryStream();
            await stream.CopyToAsync(ms);
            return ms.ToArray();
        }
    }
}
