using FedNano.Testing;
using System.Text.Json.Nodes;
using FedNano.DicomService.PeerTests.Infrastructure;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests;

/// <summary>Our server as a process, shared by the dicomweb-client specifications.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>
/// dicomweb-client 0.11.3 (OHIF's DICOMweb library) under Node 20 against our server: search, metadata, frames, bulk
/// data and store, each checked against what we put in.
/// </summary>
[Trait("Category", "Peers")]
public sealed class DicomWebClientPeerTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private string Root => Server.DicomWebRoot;

    [Fact]
    public async Task SearchForStudies_by_PatientID_finds_our_study()
    {
        if (await NodeDicomWebClient.CreateAsync(output) is not { } client) return;
        var study = Instances.Study(2, patientId: Instances.UniquePatientId("JS-QIDO"));
        await DicomWeb.StowAllAsync(Server, study);

        var result = client.RunChecked(Root, "searchForStudies",
            new JsonObject { ["queryParams"] = new JsonObject { ["PatientID"] = study.PatientId } }, Logs)!.AsArray();

        var match = Assert.Single(result);
        Assert.Equal(study.Study, DicomWeb.StringOf(match, "0020000D"));
        Assert.Equal(study.PatientId, DicomWeb.StringOf(match, "00100020"));
        Assert.Equal("Peer^Test", DicomWeb.StringOf(match, "00100010"));
    }

    [Fact]
    public async Task RetrieveStudyMetadata_returns_every_instance_with_pixel_data_as_a_BulkDataURI()
    {
        if (await NodeDicomWebClient.CreateAsync(output) is not { } client) return;
        var study = Instances.Study(3, patientId: Instances.UniquePatientId("JS-META"));
        await DicomWeb.StowAllAsync(Server, study);

        var result = client.RunChecked(Root, "retrieveStudyMetadata", new JsonObject { ["study"] = study.Study }, Logs)!.AsArray();

        Assert.Equal(study.Sops.Order(), DicomWeb.SopsOf(result).Order());
        foreach (var instance in result)
        {
            Assert.Equal(study.Study, DicomWeb.StringOf(instance, "0020000D"));
            Assert.Equal(study.Series, DicomWeb.StringOf(instance, "0020000E"));
            Assert.Equal("64", DicomWeb.StringOf(instance, "00280010"));
            var pixelData = instance!["7FE00010"];
            Assert.True(pixelData?["BulkDataURI"] is not null, $"Pixel Data without BulkDataURI: {pixelData?.ToJsonString()}");
            Assert.Null(pixelData!["InlineBinary"]);
        }
    }

    [Fact]
    public async Task RetrieveInstanceMetadata_returns_the_instance_and_its_BulkDataURI_serves_our_pixel_data()
    {
        if (await NodeDicomWebClient.CreateAsync(output) is not { } client) return;
        var study = Instances.Study(1, rows: 32, columns: 24, frames: 2, patientId: Instances.UniquePatientId("JS-IMETA"));
        await DicomWeb.StowAllAsync(Server, study);
        var instance = study.Instances[0];

        var metadata = client.RunChecked(Root, "retrieveInstanceMetadata",
            new JsonObject { ["study"] = instance.Study, ["series"] = instance.Series, ["sop"] = instance.Sop }, Logs)!.AsArray();
        var single = Assert.Single(metadata);
        Assert.Equal(instance.Sop, DicomWeb.StringOf(single, "00080018"));
        Assert.Equal(Instances.CtImageSopClass, DicomWeb.StringOf(single, "00080016"));
        Assert.Equal("2", DicomWeb.StringOf(single, "00280008"));
        var uri = single!["7FE00010"]?["BulkDataURI"]?.GetValue<string>();
        Assert.True(uri is not null, $"Pixel Data without BulkDataURI: {single.ToJsonString()}");

        var parts = client.RunChecked(Root, "retrieveBulkData", new JsonObject { ["uri"] = uri }, Logs)!.AsArray();

        var bytes = parts.SelectMany(p => Convert.FromBase64String(p!.GetValue<string>())).ToArray();
        Assert.Equal(instance.Pixels, bytes);
    }

    [Fact]
    public async Task RetrieveInstanceFrames_returns_each_requested_frame_byte_for_byte()
    {
        if (await NodeDicomWebClient.CreateAsync(output) is not { } client) return;
        var study = Instances.Study(1, rows: 40, columns: 30, frames: 3, patientId: Instances.UniquePatientId("JS-FRAMES"));
        await DicomWeb.StowAllAsync(Server, study);
        var instance = study.Instances[0];
        var frameLength = instance.Rows * instance.Columns * 2;

        var frames = client.RunChecked(Root, "retrieveInstanceFrames", new JsonObject
        {
            ["study"] = instance.Study, ["series"] = instance.Series, ["sop"] = instance.Sop, ["frameNumbers"] = "1,3",
        }, Logs)!.AsArray();

        Assert.Equal(2, frames.Count);
        Assert.Equal(instance.Pixels[..frameLength], Convert.FromBase64String(frames[0]!.GetValue<string>()));
        Assert.Equal(instance.Pixels[(2 * frameLength)..], Convert.FromBase64String(frames[1]!.GetValue<string>()));
    }

    [Fact]
    public async Task StoreInstances_stores_files_that_QIDO_then_finds_and_WADO_returns_unchanged()
    {
        if (await NodeDicomWebClient.CreateAsync(output) is not { } client) return;
        var study = Instances.Study(3, patientId: Instances.UniquePatientId("JS-STOW"));
        using var temp = new TempDirectory("js-stow");
        var paths = new JsonArray();
        foreach (var instance in study.Instances)
        {
            var path = temp.Combine(instance.Sop + ".dcm");
            await File.WriteAllBytesAsync(path, instance.File);
            paths.Add(path);
        }

        var response = client.RunChecked(Root, "storeInstances", new JsonObject { ["files"] = paths }, Logs);

        output.WriteLine($"storeInstances response: {response}");
        var found = await DicomWeb.QidoAsync(Server, $"studies/{study.Study}/instances");
        Assert.Equal(study.Sops.Order(), DicomWeb.SopsOf(found).Order());
        foreach (var instance in study.Instances)
        {
            var part = Assert.Single(await DicomWeb.RetrieveAsync(Server, instance.WadoPath, DicomWeb.AsStored));
            Assert.Equal(instance.File, part.Body);
        }
    }

    private string Logs() => "--- fednano log ---\n" + Server.OutputTail();
}
