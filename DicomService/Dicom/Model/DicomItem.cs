namespace FedNano.Dicom;

/// <summary>One entry of a dataset: an element with a value, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem
{
    /// <summary>Creates an item with its tag and value representation.</summary>
    protected DicomItem(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    /// <summary>The attribute tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation used to encode the value.</summary>
    public DicomVR VR { get; }

    /// <summary>A deep copy that shares no mutable state with this item.</summary>
    public abstract DicomItem Clone();

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR}";
}

/// <summary>An element whose value is a run of bytes (every VR except SQ and encapsulated pixel data).</summary>
public sealed class DicomElement : DicomItem
{
    /// <summary>Creates an element; <paramref name="value"/> holds little-endian bytes without trailing padding rules applied.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ByteSource value) : base(tag, vr)
    {
        if (vr == DicomVR.SQ) throw new ArgumentException("Use DicomSequence for SQ elements.", nameof(vr));
        Value = value;
    }

    /// <summary>Creates an element from bytes in memory.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value) : this(tag, vr, ByteSource.FromBytes(value)) { }

    /// <summary>The value bytes (little-endian).</summary>
    public ByteSource Value { get; }

    /// <summary>Length of the value in bytes.</summary>
    public long Length => Value.Length;

    /// <summary>Number of binary values for fixed-size VRs; for others, 1 when non-empty.</summary>
    public long BinaryValueCount => VR.ValueSize() is var s and > 0 ? Value.Length / s : (Value.Length > 0 ? 1 : 0);

    /// <inheritdoc />
    public override DicomItem Clone() =>
        Value.IsInMemory ? new DicomElement(Tag, VR, ByteSource.FromBytes(Value.GetMemory().ToArray())) : new DicomElement(Tag, VR, Value);
}

/// <summary>A sequence of items (VR SQ); each item is a nested dataset.</summary>
public sealed class DicomSequence : DicomItem
{
    /// <summary>Creates a sequence with the given items.</summary>
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null) : base(tag, DicomVR.SQ)
    {
        Items = new DicomSequenceItems(this);
        if (items is not null) foreach (var item in items) Items.Add(item);
    }

    /// <summary>The items, in order. Items added here inherit the character set of the dataset holding the sequence.</summary>
    public DicomSequenceItems Items { get; }

    private DicomDataset? _owner;

    /// <summary>The dataset that holds this sequence; set when the sequence is added to a dataset.</summary>
    public DicomDataset? Owner
    {
        get => _owner;
        internal set
        {
            _owner = value;
            foreach (var item in Items) item.Parent = value;
        }
    }

    /// <inheritdoc />
    public override DicomItem Clone() => new DicomSequence(Tag, Items.Select(i => i.Clone()));
}

/// <summary>Encapsulated (compressed) pixel data: a Basic Offset Table followed by fragments (PS3.5 §A.4).</summary>
public sealed class DicomFragmentSequence : DicomItem
{
    /// <summary>Creates encapsulated pixel data.</summary>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, IEnumerable<uint>? offsetTable = null, IEnumerable<ByteSource>? fragments = null)
        : base(tag, vr)
    {
        OffsetTable = offsetTable is null ? [] : [.. offsetTable];
        Fragments = fragments is null ? [] : [.. fragments];
    }

    /// <summary>The Basic Offset Table: byte offset of each frame's first fragment item, relative to the first fragment item. May be empty.</summary>
    public List<uint> OffsetTable { get; }

    /// <summary>The fragments in order.</summary>
    public List<ByteSource> Fragments { get; }

    /// <inheritdoc />
    public override DicomItem Clone() => new DicomFragmentSequence(Tag, VR, OffsetTable, Fragments.Select(f =>
        f.IsInMemory ? ByteSource.FromBytes(f.GetMemory().ToArray()) : f));
}

/// <summary>The item list of a sequence; keeps each item's <see cref="DicomDataset.Parent"/> pointing at the sequence's owner.</summary>
public sealed class DicomSequenceItems : System.Collections.ObjectModel.Collection<DicomDataset>
{
    private readonly DicomSequence _sequence;

    internal DicomSequenceItems(DicomSequence sequence) => _sequence = sequence;

    /// <inheritdoc />
    protected override void InsertItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = _sequence.Owner;
        base.InsertItem(index, item);
    }

    /// <inheritdoc />
    protected override void SetItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = _sequence.Owner;
        base.SetItem(index, item);
    }
}
