using System.Diagnostics;
using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.Reconstruction.DicomIo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace FedNano.DicomService.Questions;

/// <summary>
/// Answers questions about stored studies with the multimodal model: picks the study's CT image series (the given
/// one, else the most recently stored that is not raw projection data), reads it as a HU volume, builds the slice
/// stack at the chosen slice (default: the middle of the series) and generates greedily. The model loads on the first
/// question and is shared; generation runs one question at a time.
/// </summary>
public sealed class StudyQuestionService : IDisposable
{
    private readonly IRetrieveService _retrieve;
    private readonly QuestionOptions _options;
    private readonly ILogger<StudyQuestionService> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoadedModel? _model;
    private readonly FedNano.FederatedMLLM.Federation.IAdapterSource? _adapters;
    private string? _installed;

    /// <summary>Creates the service.</summary>
    public StudyQuestionService(IRetrieveService retrieve, IOptions<QuestionOptions> options, ILogger<StudyQuestionService> logger, FedNano.FederatedMLLM.Federation.IAdapterSource? adapters = null)
    {
        _adapters = adapters;
        ArgumentNullException.ThrowIfNull(options);
        _retrieve = retrieve;
        _options = options.Value;
        _logger = logger;
    }

    private sealed record LoadedModel(MultimodalModel Model, TextTokenizer Tokenizer, CtInputSpec Spec, string Version, torch.Device Device);

    /// <summary>
    /// Answers <paramref name="question"/> about <paramref name="studyInstanceUid"/> with the NanoAdapters
    /// <paramref name="adapter"/> selects: "global" (default: the federation's latest global adapters, the base model
    /// while none exist), "none" (the base model) or a site id (the adapters that site last contributed).
    /// </summary>
    /// <exception cref="QuestionInputException">Bad question (400), unknown study/series/slice/site adapters (404), no CT image series (422), model unavailable (503).</exception>
    public async Task<StudyAnswer> AskAsync(string studyInstanceUid, string? question, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken, string? adapter = null)
    {
        if (string.IsNullOrWhiteSpace(question)) throw new QuestionInputException(400, "Missing question", "The body needs a non-empty 'question'.");
        if (question.Length > _options.MaxQuestionLength)
            throw new QuestionInputException(400, "Question too long", $"The question has {question.Length} characters; at most {_options.MaxQuestionLength} are accepted.");
        foreach (var (name, uid) in new[] { ("studyInstanceUid", studyInstanceUid), ("seriesInstanceUid", seriesInstanceUid), ("sopInstanceUid", sopInstanceUid) })
            if (uid is not null && DicomUid.Validate(uid) is { } problem) throw new QuestionInputException(400, "Invalid UID", $"{name} '{uid}' is not a valid UID: {problem}.");

        IReadOnlyList<StoredInstance> instances;
        try
        {
            instances = await _retrieve.FindAsync(studyInstanceUid, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            throw new QuestionInputException(404, "Unknown study", $"Study {studyInstanceUid} is not stored.");
        }
        if (instances.Count == 0) throw new QuestionInputException(404, "Unknown study", $"Study {studyInstanceUid} is not stored.");

        var (seriesUid, datasets) = await PickSeriesAsync(studyInstanceUid, instances, seriesInstanceUid, cancellationToken).ConfigureAwait(false);
        AxialCtSeries series;
        try
        {
            series = AxialCtSeries.Read(datasets);
        }
        catch (Exception e) when (e is FormatException or DicomDataException or DicomFormatException)
        {
            throw new QuestionInputException(422, "Unreadable CT series", $"Series {seriesUid} cannot be read as an axial CT series: {e.Message}");
        }
        double centreZ = series.MiddleZMm;
        if (sopInstanceUid is not null)
        {
            centreZ = series.Slices.FirstOrDefault(s => s.SopInstanceUid == sopInstanceUid)?.ZMm
                ?? throw new QuestionInputException(404, "Unknown slice", $"Series {seriesUid} has no instance {sopInstanceUid}.");
        }

        var model = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var pixels = SliceStack.Build(series, model.Spec, centreZ);
        var used = StackSlices(series, model.Spec, centreZ);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            var adapterVersion = SelectAdapters(model.Model, adapter ?? "global");
            using var scope = torch.NewDisposeScope();
            var images = torch.tensor(pixels, [1, model.Spec.Slices, model.Spec.ImageSize, model.Spec.ImageSize]);
            var prompt = PromptTemplate.Encode(model.Tokenizer, question, model.Model.ImageTokenCount);
            var result = TextGenerator.Generate(model.Model, model.Tokenizer, prompt, images, new GenerationOptions { MaxNewTokens = _options.MaxNewTokens });
            _logger.LogInformation("Question about study {Study} series {Series}: {Tokens} tokens in {Seconds:F2} s", studyInstanceUid, seriesUid, result.TokenIds.Count, result.Seconds);
            return new StudyAnswer(result.Text, result.StopReason, model.Version, adapterVersion, studyInstanceUid, seriesUid, used, centreZ, result.TokenIds.Count, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Called under the generation gate: swaps the model's adapter slots only when the selection's version changed.
    private string? SelectAdapters(MultimodalModel model, string selection)
    {
        (FedNano.FederatedMLLM.Federation.AdapterSet Adapters, string Version, double Alpha, int ImageTokenPooling)? found = null;
        if (selection != "none")
        {
            if (_adapters is null)
            {
                if (selection != "global") throw new QuestionInputException(404, "Unknown adapters", $"This service runs no federation, so there are no adapters of site '{selection}'.");
            }
            else
            {
                try { found = _adapters.Find(selection); }
                catch (KeyNotFoundException e) { throw new QuestionInputException(404, "Unknown adapters", e.Message); }
            }
        }
        var version = found?.Version;
        if (version != _installed)
        {
            FedNano.FederatedMLLM.Federation.NanoAdapterInstaller.Install(model, found?.Adapters, found?.Alpha ?? 1, found?.ImageTokenPooling ?? 1);
            _installed = version;
        }
        return version;
    }

    private async Task<(string Series, List<DicomDataset> Datasets)> PickSeriesAsync(string study, IReadOnlyList<StoredInstance> instances, string? wanted, CancellationToken cancellationToken)
    {
        const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
        var bySeries = instances.GroupBy(i => i.Key.SeriesInstanceUid).ToList();
        if (wanted is not null && bySeries.All(g => g.Key != wanted))
            throw new QuestionInputException(404, "Unknown series", $"Study {study} has no series {wanted}.");
        // Newest first: the latest reconstruction is the one a reader would look at.
        foreach (var series in bySeries.Where(g => wanted is null || g.Key == wanted).OrderByDescending(g => g.Max(i => i.Watermark)))
        {
            var list = series.ToList();
            if (list.Any(i => i.SopClassUid != CtImageStorage)) continue;
            var first = await _retrieve.GetMetadataAsync(list[0], cancellationToken).ConfigureAwait(false);
            if (DicomCtPdReader.IsProjectionInstance(first)) continue;
            var datasets = new List<DicomDataset>(list.Count);
            foreach (var instance in list)
            {
                await using var stream = _retrieve.OpenInstance(instance);
                datasets.Add(DicomFile.Read(stream).Dataset);
            }
            return (series.Key, datasets);
        }
        throw new QuestionInputException(422, "No CT image series",
            wanted is null
                ? $"Study {study} has no CT image series to look at (only raw projection data or other objects); reconstruct it first."
                : $"Series {wanted} is not a CT image series (raw projection data or another object).");
    }

    private static List<string> StackSlices(AxialCtSeries series, CtInputSpec spec, double centreZ)
    {
        var used = new List<string>();
        for (int s = 0; s < spec.Slices; s++)
        {
            double z = centreZ + (s - (spec.Slices - 1) / 2.0) * spec.SliceSpacingMm;
            var uid = series.Slices.MinBy(slice => Math.Abs(slice.ZMm - z))!.SopInstanceUid;
            if (!used.Contains(uid)) used.Add(uid);
        }
        return used;
    }

    private async Task<LoadedModel> LoadAsync(CancellationToken cancellationToken)
    {
        if (_model is { } loaded) return loaded;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_model is not null) return _model;
            var directory = Path.IsPathRooted(_options.ModelDirectory) ? _options.ModelDirectory : Path.Combine(AppContext.BaseDirectory, _options.ModelDirectory);
            if (!File.Exists(Path.Combine(directory, ModelCheckpoint.ConfigFile)))
                throw new QuestionInputException(503, "Model unavailable", $"No model at {directory} (Questions:ModelDirectory).");
            var device = _options.Device switch
            {
                "cuda" => torch.CUDA,
                "cpu" => torch.CPU,
                _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
            };
            try
            {
                var (model, _) = ModelCheckpoint.Load(directory, new CheckpointLoadOptions { Device = device });
                model.eval();
                var tokenizer = TextTokenizer.Load(directory, model.Config.ImageTokenIndex);
                var spec = CtInputSpec.Load(directory);
                _model = new LoadedModel(model, tokenizer, spec, ModelCheckpoint.VersionOf(directory), device);
                _logger.LogInformation("Question answering model {Version} loaded on {Device}", _model.Version, device.type);
                return _model;
            }
            catch (Exception e) when (e is CheckpointMismatchException or FormatException or FileNotFoundException or IOException)
            {
                throw new QuestionInputException(503, "Model unavailable", $"The model at {directory} cannot be loaded: {e.Message}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Frees the model.</summary>
    public void Dispose()
    {
        _model?.Model.Dispose();
        _gate.Dispose();
    }
}
