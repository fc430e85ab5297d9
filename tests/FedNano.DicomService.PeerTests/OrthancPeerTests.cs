using FedNano.Testing;
using System.Text.Json.Nodes;
using FedNano.DicomService.PeerTests.Infrastructure;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests;

/// <summary>Our server and an Orthanc 1.10 + DICOMweb plugin that knows it as the DICOMweb server "fednano".</summary>
public sealed class OrthancPeerFixture : IAsyncLifetime
{
    /// <summary>Our server (always started: it is not a peer).</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>Orthanc, or null when it is not installed (<see cref="MissingReason"/> says why).</summary>
    public OrthancProcess? Orthanc { get; private set; }

    /// <summary>Why Orthanc is missing.</summary>
    public string MissingReason { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync();
        try
        {
            var exe = OrthancProcess.FindExecutable(out var exeReason);
            var plugin = OrthancProcess.FindPlugin(out var pluginReason);
            if (exe is null || plugin is null)
            {
                MissingReason = exe is null ? exeReason : pluginReason;
                return;
            }
            Orthanc = await OrthancProcess.StartAsync(exe, plugin, Server.DicomWebRoot);
        }
        catch
        {
            await Server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Both logs, for failure messages.</summary>
    public string Logs() => $"--- fednano log ---\n{Server.OutputTail()}\n--- orthanc log ---\n{Orthanc?.OutputTail()}";

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Orthanc is not null) await Orthanc.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>
/// Orthanc as a real DICOMweb client of our server (its plugin's /dicom-web/servers/fednano/… routes): it stores to us
/// (STOW-RS, chunked, Accept application/dicom+json), queries us (QIDO-RS) and retrieves from us (WADO-RS), and what
/// it ends up holding is identical in content to what we hold.
/// </summary>
[Trait("Category", "Peers")]
public sealed class OrthancPeerTests(OrthancPeerFixture fixture, ITestOutputHelper output) : IClassFixture<OrthancPeerFixture>
{
    private const string ServerRoute = "dicom-web/servers/" + OrthancProcess.ServerName;

    private ServerProcess Server => fixture.Server;

    private OrthancProcess? OrthancOrSkip()
    {
        if (fixture.Orthanc is null) PeerTool.Missing(fixture.MissingReason, output);
        return fixture.Orthanc;
    }

    [Fact]
    public async Task Orthanc_stows_instances_to_us_and_our_QIDO_and_WADO_return_them_unchanged()
    {
        if (OrthancOrSkip() is not { } orthanc) return;
        var study = Instances.Study(3, patientId: Instances.UniquePatientId("ORTHANC-STOW"));
        var ids = new JsonArray();
        foreach (var file in study.Files) ids.Add(await orthanc.UploadAsync(file));

        var reply = await orthanc.PostJsonAsync($"{ServerRoute}/stow", new JsonObject { ["Resources"] = ids });

        Assert.True(reply.Status == 200, $"Orthanc POST /{ServerRoute}/stow answered {reply.Status}: {reply.Body}\n" +
            $"(Orthanc's log below has the status our server gave its STOW; OrthancRequestShapeTests replays that request.)\n{fixture.Logs()}");
        var found = await DicomWeb.QidoAsync(Server, $"studies/{study.Study}/instances");
        Assert.Equal(study.Sops.Order(), DicomWeb.SopsOf(found).Order());
        foreach (var instance in study.Instances)
        {
            var parts = await DicomWeb.RetrieveAsync(Server, instance.WadoPath, DicomWeb.AsStored);
            Assert.Single(parts);
            DatasetComparer.AssertSameContent(instance.File, parts[0].Body, $"instance {instance.Sop} sent by Orthanc, as we stored it");
        }
    }

    [Fact]
    public async Task Orthanc_queries_us_by_PatientID_and_finds_the_study_and_its_instances()
    {
        if (OrthancOrSkip() is not { } orthanc) return;
        var study = Instances.Study(2, patientId: Instances.UniquePatientId("ORTHANC-QIDO"));
        await DicomWeb.StowAllAsync(Server, study);

        var studies = await orthanc.PostJsonAsync($"{ServerRoute}/get", new JsonObject
        {
            ["Uri"] = "/studies",
            ["Arguments"] = new JsonObject { ["PatientID"] = study.PatientId }, // the plugin refuses an explicit "?" in Uri
        });
        var instances = await orthanc.PostJsonAsync($"{ServerRoute}/get", new JsonObject { ["Uri"] = $"/studies/{study.Study}/instances" });

        Assert.True(studies.Status == 200, $"Orthanc GET through /{ServerRoute}/get /studies answered {studies.Status}: {studies.Body}\n{fixture.Logs()}");
        var studyMatches = JsonNode.Parse(studies.Body)!.AsArray();
        var match = Assert.Single(studyMatches);
        Assert.Equal(study.Study, DicomWeb.StringOf(match, "0020000D"));
        Assert.Equal(study.PatientId, DicomWeb.StringOf(match, "00100020"));
        Assert.Equal("2", DicomWeb.StringOf(match, "00201208")); // NumberOfStudyRelatedInstances
        Assert.True(instances.Status == 200, $"Orthanc GET through /{ServerRoute}/get /instances answered {instances.Status}: {instances.Body}\n{fixture.Logs()}");
        Assert.Equal(study.Sops.Order(), DicomWeb.SopsOf(JsonNode.Parse(instances.Body)!.AsArray()).Order());
    }

    [Fact]
    public async Task Orthanc_retrieves_a_study_from_us_and_holds_files_identical_in_content()
    {
        if (OrthancOrSkip() is not { } orthanc) return;
        var study = Instances.Study(3, rows: 48, columns: 40, frames: 2, patientId: Instances.UniquePatientId("ORTHANC-WADO"));
        await DicomWeb.StowAllAsync(Server, study);
        foreach (var sop in study.Sops) Assert.Null(await orthanc.LookupInstanceAsync(sop)); // Orthanc never saw them

        var reply = await orthanc.PostJsonAsync($"{ServerRoute}/retrieve",
            new JsonObject { ["Resources"] = new JsonArray(new JsonObject { ["Study"] = study.Study }) });

        Assert.True(reply.Status == 200, $"Orthanc POST /{ServerRoute}/retrieve answered {reply.Status}: {reply.Body}\n{fixture.Logs()}");
        foreach (var instance in study.Instances)
        {
            var id = await orthanc.LookupInstanceAsync(instance.Sop);
            Assert.True(id is not null, $"Orthanc does not hold {instance.Sop} after the retrieve ({reply.Body}).\n{fixture.Logs()}");
            var held = await orthanc.GetInstanceFileAsync(id!);
            var ours = Assert.Single(await DicomWeb.RetrieveAsync(Server, instance.WadoPath, DicomWeb.AsStored)).Body;
            DatasetComparer.AssertSameContent(ours, held, $"instance {instance.Sop}: ours vs Orthanc's copy");
            DatasetComparer.AssertSameContent(instance.File, held, $"instance {instance.Sop}: original vs Orthanc's copy");
            Assert.Equal(instance.Pixels, DatasetComparer.NativePixelBytes(FedNano.Dicom.DicomFile.Read(held)));
        }
    }
}
