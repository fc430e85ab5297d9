namespace FedNano.PacsBridge;

/// <summary>How the bridge finds new series in the source PACS.</summary>
public enum DiscoveryMode
{
    /// <summary>QIDO-RS polling of series (any DICOMweb PACS); a series is taken once its instance count has not changed for <see cref="DiscoveryOptions.StableAgeSeconds"/>.</summary>
    Qido,

    /// <summary>Orthanc's REST <c>/changes</c> feed, <c>StableSeries</c> events (Orthanc decides stability by its StableAge).</summary>
    OrthancChanges,
}
