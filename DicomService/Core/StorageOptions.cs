namespace FedNano.DicomService.Core;

/// <summary>
/// Settings of the embedded storage (configuration section <c>Storage</c>): instances as files under
/// <see cref="DataDirectory"/>/instances, STOW staging files under <see cref="DataDirectory"/>/staging, and the
/// SQLite index in <see cref="DataDirectory"/>/index.db.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>Root of everything stored (default <c>./data</c>, relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Largest Part 10 file accepted by STOW-RS, in bytes (default 4 GiB); larger parts fail with 0xA700.</summary>
    public long MaxInstanceBytes { get; set; } = 4L << 30;

    /// <summary>STOW-RS refuses new instances (0xA700) when the data directory's volume has less free space than this (default 64 MiB; 0 disables the check).</summary>
    public long MinimumFreeDiskBytes { get; set; } = 64L << 20;

    /// <summary>QIDO-RS results per page when the request has no <c>limit</c> (default 1000).</summary>
    public int DefaultQueryLimit { get; set; } = 1000;

    /// <summary>Largest QIDO-RS page (default 10000); a larger <c>limit</c> is reduced to it with a warning.</summary>
    public int MaxQueryLimit { get; set; } = 10000;

    /// <summary>Binary values longer than this many bytes are left out of the metadata as a BulkDataURI (default 1024); Pixel Data always is.</summary>
    public int MetadataInlineBinaryLimit { get; set; } = 1024;

    /// <summary>
    /// fsync each stored file before it is renamed into place (default true), so that even a power loss never leaves a
    /// truncated file under an instance's name. A process crash (<c>kill -9</c>) is safe without it. Turn off only for throwaway data.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>
    /// Make every acknowledged store survive a power loss (default false): SQLite <c>synchronous=FULL</c> instead of
    /// <c>NORMAL</c>, and an fsync of the instance directory after each rename. Without it the index (WAL mode) is still
    /// never corrupted and a process crash (<c>kill -9</c>) loses nothing; a power loss may lose the last few stores, which
    /// then are absent (never half present). Costs roughly two disk flushes per instance.
    /// </summary>
    public bool DurableCommits { get; set; }

    /// <summary>Parts of one STOW-RS request processed in parallel (default: twice the number of processors, at least 4, so that parsing overlaps disk flushes).</summary>
    public int StoreParallelism { get; set; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Longest time a database command waits for a lock held by another connection, in seconds (default 30).</summary>
    public int DatabaseBusyTimeoutSeconds { get; set; } = 30;

    /// <summary>The data directory as an absolute path.</summary>
    public string DataPath => Path.GetFullPath(string.IsNullOrWhiteSpace(DataDirectory) ? "./data" : DataDirectory);

    /// <summary>Where instance files live: <c>{DataDirectory}/instances</c>.</summary>
    public string InstancesPath => Path.Combine(DataPath, "instances");

    /// <summary>Where the host streams STOW-RS parts before handing them to <see cref="IStoreService"/>: <c>{DataDirectory}/staging</c> (emptied at startup).</summary>
    public string StagingPath => Path.Combine(DataPath, "staging");

    /// <summary>The SQLite index: <c>{DataDirectory}/index.db</c>.</summary>
    public string DatabasePath => Path.Combine(DataPath, "index.db");
}
