namespace FedNano.FederatedMLLM.Radiology;

/// <summary>The kinds of question asked about an image; accuracy is reported per kind.</summary>
public enum QuestionType
{
    /// <summary>Is there a nodule? yes/no.</summary>
    NodulePresence,

    /// <summary>How many nodules? none/one/two/three.</summary>
    NoduleCount,

    /// <summary>Which side is the nodule on? right/left/both.</summary>
    NoduleSide,

    /// <summary>How large is the largest nodule? small (&lt; 6 mm) / medium (6–10 mm) / large (&gt; 10 mm).</summary>
    NoduleSize,

    /// <summary>Is there emphysema? yes/no.</summary>
    EmphysemaPresence,

    /// <summary>Is there a pleural effusion? yes/no.</summary>
    EffusionPresence,

    /// <summary>Which side is the effusion on? right/left/both.</summary>
    EffusionSide,

    /// <summary>Describe the findings: an open answer (the report), scored by finding-level agreement.</summary>
    Describe,
}
