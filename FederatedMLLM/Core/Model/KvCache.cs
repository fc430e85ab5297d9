using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>Keys and values of the tokens already processed, per decoder block, so generation feeds one new token per step.</summary>
public sealed class KvCache : IDisposable
{
    private readonly (Tensor Keys, Tensor Values)?[] _layers;

    /// <summary>An empty cache for <paramref name="layers"/> blocks.</summary>
    public KvCache(int layers) => _layers = new (Tensor, Tensor)?[layers];

    /// <summary>Tokens cached so far.</summary>
    public long Length => _layers[0] is { } first ? first.Keys.shape[2] : 0;

    /// <summary>Appends this step's keys and values [B, KV, T, d] to block <paramref name="layer"/> and returns all of them.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        if (_layers[layer] is { } old)
        {
            var k = cat([old.Keys, keys], 2).DetachFromDisposeScope();
            var v = cat([old.Values, values], 2).DetachFromDisposeScope();
            old.Keys.Dispose();
            old.Values.Dispose();
            _layers[layer] = (k, v);
        }
        else
        {
            _layers[layer] = (keys.alias().DetachFromDisposeScope(), values.alias().DetachFromDisposeScope());
        }
        return _layers[layer]!.Value;
    }

    /// <summary>Frees the cached tensors.</summary>
    public void Dispose()
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is not { } entry) continue;
            entry.Keys.Dispose();
            entry.Values.Dispose();
            _layers[i] = null;
        }
    }
}
