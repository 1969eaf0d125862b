namespace HipaaAnalyzers.Configuration;

/// <summary>What a HIPAA006 diagnostic tells its fix, in the diagnostic's properties.</summary>
internal static class FrameworkLoggingFixData
{
    /// <summary>Diagnostic property: <see cref="GuardKind"/>, <see cref="HttpFieldsKind"/> or <see cref="W3CFieldsKind"/>.</summary>
    public const string KindProperty = "Kind";

    /// <summary>A call that belongs under the environment's development check.</summary>
    public const string GuardKind = "Guard";

    /// <summary>An <c>HttpLoggingFields</c> value that includes bodies or the query string.</summary>
    public const string HttpFieldsKind = "HttpFields";

    /// <summary>A <c>W3CLoggingFields</c> value that includes the query.</summary>
    public const string W3CFieldsKind = "W3CFields";
}
