using FedNano.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using FedNano.Dicom;
using FedNano.DicomService.PeerTests.Infrastructure;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests;

/// <summary>
/// kill -9 of the server process in the middle of a large chunked STOW-RS, then a restart on the same data directory:
/// every instance is either fully present (QIDO finds it and WADO returns it byte for byte) or absent (QIDO does not
/// find it and WADO answers 404), no instance file exists without its index row (and staging is empty), the study-level
/// counts agree, and a fresh STOW of the same instances succeeds.
/// </summary>
[Trait("Category", "Peers")]
[Trait("Category", "Crash")]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int ChunkSize = 64 * 1024;

    [Theory]
    [InlineData(40, 4, "body 15%")]    // ~2 MB instances, killed early in the upload
    [InlineData(40, 4, "body 60%")]    // killed in the middle of the upload
    [InlineData(40, 4, "commit 1")]    // body complete, killed as soon as the first instance file lands in instances/
    [InlineData(40, 4, "commit 20")]   // killed half-way through committing the 40 instances
    [InlineData(1, 160, "body 50%")]   // one ~80 MB instance, killed half-way through it
    public async Task Kill_9_during_a_large_STOW_leaves_each_instance_fully_present_or_absent_and_no_orphan_files(int count, int frames, string moment)
    {
        using var data = new TempDirectory("crash");
        var study = Instances.Study(count, rows: 512, columns: 512, frames: frames, patientId: Instances.UniquePatientId("CRASH"));
        var (body, contentType) = DicomWeb.BuildStowBody(study.Files);
        var (phase, amount) = (moment.Split(' ')[0], moment.Split(' ')[1].TrimEnd('%'));
        var duringBody = phase == "body";
        var killOffset = duringBody ? body.Length * long.Parse(amount, CultureInfo.InvariantCulture) / 100 : long.MaxValue;
        var killAfterFiles = duringBody ? 0 : int.Parse(amount, CultureInfo.InvariantCulture);
        var instancesDirectory = Path.Combine(data.Path, "instances");

        var server = await ServerProcess.StartAsync(data.Path);
        try
        {
            using var content = new KillSwitchContent(body, contentType, killOffset, server.Kill);
            var stow = Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
                request.Headers.TryAddWithoutValidation("Accept", DicomWebMediaTypes.ApplicationDicomJson);
                using var response = await server.Http.SendAsync(request);
                return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            });
            var killedInCommit = false;
            if (!duringBody)
            {
                // The whole body goes out; kill -9 once the server has moved killAfterFiles instance files into place.
                var watch = Stopwatch.StartNew();
                while (!stow.IsCompleted && watch.Elapsed < TimeSpan.FromMinutes(2))
                {
                    if (CountFiles(instancesDirectory) >= killAfterFiles)
                    {
                        server.Kill();
                        killedInCommit = true;
                        break;
                    }
                    Thread.Sleep(1);
                }
            }
            string outcome;
            try { outcome = await stow; }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException) { outcome = $"{ex.GetType().Name}: {ex.Message}"; }
            if (duringBody) Assert.True(content.Killed, $"The server was not killed (the STOW ended with {outcome}).");
            else Assert.True(killedInCommit, $"The STOW ended ({outcome}) before {killAfterFiles} instance file(s) appeared: the commit phase was not caught.");
            Assert.True(server.HasExited, "The server still runs after kill -9.");
            output.WriteLine($"killed ({moment}) after {content.BytesSent:N0} of {body.Length:N0} body bytes, {CountFiles(instancesDirectory)} file(s) in instances/; the client saw: {outcome}");
            output.WriteLine("--- log before the kill ---\n" + server.OutputTail(3000));
            await server.DisposeAsync();

            server = await ServerProcess.StartAsync(data.Path);

            var present = await AssertPresentOrAbsentAsync(server, study, data.Path);
            output.WriteLine($"after the restart {present.Count} of {count} instances are present; the others are absent");

            var restow = await DicomWeb.StowAsync(server, study.Files);
            Assert.True(restow.Status == HttpStatusCode.OK, $"A fresh STOW of the same instances after the restart: {restow}\n{server.OutputTail()}");
            var all = await AssertPresentOrAbsentAsync(server, study, data.Path);
            Assert.Equal(count, all.Count);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static int CountFiles(string directory)
    {
        try { return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Count() : 0; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return 0; } // a directory came or went meanwhile
    }

    /// <summary>Checks the "fully present or absent, no orphans" rule and returns the SOP Instance UIDs present.</summary>
    private static async Task<HashSet<string>> AssertPresentOrAbsentAsync(ServerProcess server, TestStudy study, string dataDirectory)
    {
        var found = DicomWeb.SopsOf(await DicomWeb.QidoAsync(server, $"studies/{study.Study}/instances"));
        Assert.Subset(study.Sops.ToHashSet(), found);

        foreach (var instance in study.Instances)
        {
            if (found.Contains(instance.Sop))
            {
                var part = Assert.Single(await DicomWeb.RetrieveAsync(server, instance.WadoPath, DicomWeb.AsStored));
                Assert.True(part.Body.AsSpan().SequenceEqual(instance.File),
                    $"{instance.Sop} is listed by QIDO but WADO returns {part.Body.Length:N0} bytes that differ from the {instance.File.Length:N0} sent.");
            }
            else
            {
                var reply = await DicomWeb.GetAsync(server, instance.WadoPath, DicomWeb.AsStored);
                Assert.True(reply.Status == HttpStatusCode.NotFound, $"{instance.Sop} is not listed by QIDO but WADO answers {reply}");
            }
        }

        // The study level agrees with the instances: invisible when none is present, else the right count.
        var studies = await DicomWeb.QidoAsync(server, $"studies?StudyInstanceUID={study.Study}");
        if (found.Count == 0) Assert.Empty(studies);
        else Assert.Equal(found.Count.ToString(CultureInfo.InvariantCulture), DicomWeb.StringOf(Assert.Single(studies), "00201208"));

        // No instance file without its index row, no temporary file, nothing left in staging.
        var instancesDir = Path.Combine(dataDirectory, "instances");
        var files = Directory.Exists(instancesDir) ? Directory.GetFiles(instancesDir, "*", SearchOption.AllDirectories) : [];
        var temporary = files.Where(f => !f.EndsWith(".dcm", StringComparison.Ordinal)).ToArray();
        Assert.True(temporary.Length == 0, "Files that are not stored instances remain after the restart:\n" + string.Join('\n', temporary));
        var fileSops = files.Select(f => DicomFile.Read(File.ReadAllBytes(f)).Dataset.GetString(DicomTags.SOPInstanceUID) ?? f).ToList();
        var orphans = fileSops.Where(s => !found.Contains(s)).ToArray();
        Assert.True(orphans.Length == 0, "Instance files without an index row (not found by QIDO):\n" + string.Join('\n', orphans));
        Assert.True(fileSops.Count == found.Count, $"{fileSops.Count} instance files for {found.Count} indexed instances:\n" + string.Join('\n', files));
        var staging = Path.Combine(dataDirectory, "staging");
        var staged = Directory.Exists(staging) ? Directory.GetFiles(staging, "*", SearchOption.AllDirectories) : [];
        Assert.True(staged.Length == 0, "Staging files survived the restart:\n" + string.Join('\n', staged));
        return found;
    }

    /// <summary>
    /// A chunked request body (no Content-Length, like Orthanc's STOW client) sent in 64 KiB chunks; when
    /// <paramref name="killAt"/> bytes have gone out, <paramref name="kill"/> runs (kill -9 the server) and the upload stops.
    /// A kill offset equal to the body length kills right after the last byte, before the response.
    /// </summary>
    private sealed class KillSwitchContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly long _killAt;
        private readonly Action _kill;

        public KillSwitchContent(byte[] body, string contentType, long killAt, Action kill)
        {
            _body = body;
            _killAt = killAt;
            _kill = kill;
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        public bool Killed { get; private set; }

        public long BytesSent { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            long sent = 0;
            while (sent < _body.Length)
            {
                if (sent >= _killAt)
                {
                    Kill();
                    throw new IOException("The server was killed (kill -9) during the upload.");
                }
                var length = (int)Math.Min(Math.Min(ChunkSize, _body.Length - sent), _killAt - sent);
                await stream.WriteAsync(_body.AsMemory((int)sent, length));
                await stream.FlushAsync();
                sent += length;
                BytesSent = sent;
            }
            if (_killAt <= _body.Length && !Killed) Kill(); // right after the last byte, before the end of the chunked body
        }

        private void Kill()
        {
            Killed = true;
            _kill();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
