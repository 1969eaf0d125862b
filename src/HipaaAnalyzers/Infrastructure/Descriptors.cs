using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>Every diagnostic descriptor, built by one factory so IDs, help links and categories cannot drift.</summary>
public static class Descriptors
{
    /// <summary>Where rule pages live; <see cref="HelpLinkUri"/> appends <c>ID.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/hipaa-analyzers/hipaa-analyzers/blob/main/docs/rules/";

    public const string PhiExposureCategory = "PhiExposure";
    public const string ConfigurationCategory = "Configuration";

    public static string HelpLinkUri(string id) => HelpLinkBase + id + ".md";

    public static readonly DiagnosticDescriptor PhiInLog = Create(
        RuleIds.PhiInLog,
        "Do not write PHI to logs",
        "PHI '{0}' ({1}) is written to a log by '{2}'",
        PhiExposureCategory,
        "Protected health information written to a log is copied to every log sink, retention store and support tool. " +
        "Redact or pseudonymize it, or log a non-identifying value instead.");

    public static readonly DiagnosticDescriptor PhiObjectLoggedWhole = Create(
        RuleIds.PhiObjectLoggedWhole,
        "Do not log or format a PHI-carrying object whole",
        "'{0}' carries PHI ({1}) and is {2}, which writes every member to '{3}'",
        PhiExposureCategory,
        "Formatting a whole object that carries protected health information (a record's generated ToString, " +
        "'{@x}' destructuring, serialization) leaks every member. Log a non-PHI identifier instead.");

    public static readonly DiagnosticDescriptor PhiInExceptionMessage = Create(
        RuleIds.PhiInExceptionMessage,
        "Do not put PHI in exception messages",
        "PHI '{0}' ({1}) is put into the message of '{2}'",
        PhiExposureCategory,
        "Exception messages end up in logs, error pages, crash reports and telemetry. Keep protected health information out of them.");

    public static readonly DiagnosticDescriptor PhiInTelemetryOrUrl = Create(
        RuleIds.PhiInTelemetryOrUrl,
        "Do not put PHI in telemetry, URLs or headers",
        "PHI '{0}' ({1}) reaches {2} through '{3}'",
        PhiExposureCategory,
        "Trace tags, baggage, metric tags, URLs, query strings and headers are recorded by proxies, APM tools and browser " +
        "history. Keep protected health information out of them.");

    public static readonly DiagnosticDescriptor InvalidOption = Create(
        RuleIds.InvalidOption,
        "HipaaAnalyzers option is invalid",
        "Invalid value for '{0}' in the analyzer configuration (.editorconfig / .globalconfig) that applies to '{1}': {2}",
        ConfigurationCategory,
        "A HipaaAnalyzers option has a value that cannot be used. The rules ignore that value until it is fixed.");

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category, string description) =>
        new(id, title, messageFormat, category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: description, helpLinkUri: HelpLinkUri(id));
}
