namespace HipaaAnalyzers.Infrastructure;

/// <summary>Stable rule IDs. Fixers and tests reference these constants, never the analyzer types.</summary>
public static class RuleIds
{
    public const string PhiInLog = "HIPAA001";
    public const string PhiObjectLoggedWhole = "HIPAA002";
    public const string PhiInExceptionMessage = "HIPAA003";
    public const string PhiInTelemetryOrUrl = "HIPAA004";
    public const string InvalidOption = "HIPAA900";
}
