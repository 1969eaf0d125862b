namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>What was done to a resource that holds PHI. Serialized in lower case (<c>viewed</c>, <c>modified</c> ...).</summary>
public enum AuditAction
{
    /// <summary>PHI was read or displayed.</summary>
    Viewed,

    /// <summary>A record holding PHI was created.</summary>
    Created,

    /// <summary>PHI was changed.</summary>
    Modified,

    /// <summary>A record holding PHI was deleted.</summary>
    Deleted,

    /// <summary>PHI left the system in bulk (download, report, export).</summary>
    Exported,
}
