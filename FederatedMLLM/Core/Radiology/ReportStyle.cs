namespace FedNano.FederatedMLLM.Radiology;

/// <summary>How a site words its reports (sites differ; P8 gives each site its own).</summary>
public enum ReportStyle
{
    /// <summary>"FINDINGS: … IMPRESSION: …" sections.</summary>
    Structured,

    /// <summary>Flowing prose.</summary>
    Narrative,

    /// <summary>Short semicolon-separated list.</summary>
    Terse,
}
