using System.IO.Pipelines;
using FedNano.Dicom;
using FedNano.DicomService.Core;

namespace FedNano.DicomService.Http;

/// <summary>Access to stored instances beyond the raw bytes: parsing (lazily, from the file) and streaming transcoding.</summary>
public static class InstanceFiles
{
    /// <summary>
    /// Parses a stored instance. When the store hands out a file stream, the file is opened by path so large values
    /// (pixel data) stay on disk until used; otherwise the stream is read into memory.
    /// </summary>
    public static DicomFile Open(IRetrieveService retrieve, StoredInstance instance)
    {
        var stream = retrieve.OpenInstance(instance);
        if (stream is FileStream file)
        {
            var path = file.Name;
            file.Dispose();
            return DicomFile.Open(path);
        }
        using (stream) return DicomFile.Read(stream);
    }

    /// <summary>
    /// Copies the instance re-encoded in <paramref name="target"/> to <paramref name="consume"/>. The codec writes
    /// synchronously, so it runs on a worker thread into a pipe with back-pressure (at most about 1 MiB in flight) and
    /// the pipe is copied asynchronously: nothing close to the whole file is held in memory and no response write blocks.
    /// </summary>
    public static async Task CopyTranscodedAsync(IRetrieveService retrieve, StoredInstance instance, DicomTransferSyntax target,
        Func<Stream, Task> consume, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        var producer = Task.Run(() =>
        {
            try
            {
                var file = Open(retrieve, instance);
                using (var output = pipe.Writer.AsStream(leaveOpen: true))
                    file.Save(output, target);
                pipe.Writer.Complete();
            }
            catch (Exception e)
            {
                pipe.Writer.Complete(e);
            }
        }, cancellationToken);
        try
        {
            await using var input = pipe.Reader.AsStream(leaveOpen: true);
            await consume(input);
            await pipe.Reader.CompleteAsync();
        }
        catch (Exception e)
        {
            // Stops the producer (its next write fails) before the exception goes on.
            await pipe.Reader.CompleteAsync(e);
            throw;
        }
        finally
        {
            try { await producer; } catch (Exception) when (cancellationToken.IsCancellationRequested) { }
        }
    }
}
