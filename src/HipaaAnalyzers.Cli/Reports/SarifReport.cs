using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using HipaaAnalyzers.CodeFixes.Infrastructure;

namespace HipaaAnalyzers.Cli.Reports;

/// <summary>
/// SARIF 2.1.0 in the shape GitHub code scanning accepts: the tool with every rule's metadata and help URI, results with
/// ruleId, ruleIndex, level and a physical location whose URI is relative to <c>%SRCROOT%</c> (the source root).
/// </summary>
public static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string SourceRootId = "%SRCROOT%";
    public const string InformationUri = "https://github.com/hipaa-analyzers/hipaa-analyzers";

    public static void Write(ScanResult result, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        WriteTool(json, result);

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRootId);
        json.WriteString("uri", DirectoryUri(result.SourceRoot));
        json.WriteStartObject("description");
        json.WriteString("text", "The root of the scanned sources.");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("invocations");
        json.WriteStartObject();
        // A partial scan (a C# project skipped) did not do all it was asked to; projects that are not C# are only noted.
        json.WriteBoolean("executionSuccessful", result.Problems.Count == 0 && !result.IsPartial);
        json.WriteString("startTimeUtc", result.Started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("endTimeUtc", (result.Started + result.Elapsed).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        if (result.Problems.Count > 0 || result.Skipped.Count > 0 || result.Warnings.Count > 0)
        {
            json.WriteStartArray("toolExecutionNotifications");
            foreach (var problem in result.Problems)
            {
                WriteNotification(json, "error", problem, null, null);
            }

            foreach (var skipped in result.Skipped)
            {
                var where = PathText.Relative(result.SourceRoot, skipped.FullPath) ?? skipped.FullPath;
                WriteNotification(json, skipped.MakesScanPartial ? "error" : "note", $"Skipped {where}: {skipped.Reason}.", skipped, result.SourceRoot);
            }

            foreach (var warning in result.Warnings)
            {
                WriteNotification(json, "warning", warning, null, null);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();

        var ruleIndex = result.Rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        json.WriteStartArray("results");
        foreach (var finding in result.Findings)
        {
            WriteResult(json, finding, ruleIndex);
        }

        json.WriteEndArray();
        json.WriteString("columnKind", "utf16CodeUnits");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNotification(Utf8JsonWriter json, string level, string text, SkippedProject? skipped, string? sourceRoot)
    {
        json.WriteStartObject();
        json.WriteString("level", level);
        WriteText(json, "message", text);
        if (skipped is not null)
        {
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            if (PathText.Relative(sourceRoot!, skipped.FullPath) is { } relative)
            {
                json.WriteString("uri", RelativeUri(relative));
                json.WriteString("uriBaseId", SourceRootId);
            }
            else
            {
                json.WriteString("uri", new Uri(skipped.FullPath).AbsoluteUri);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("properties");
            json.WriteString("project", skipped.Name);
            json.WriteString("skipped", skipped.KindText);
            json.WriteBoolean("partial", skipped.MakesScanPartial);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter json, ScanResult result)
    {
        var version = ToolVersion();
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "hipaa-scan");
        json.WriteString("fullName", "HipaaAnalyzers hipaa-scan");
        json.WriteString("version", version);
        json.WriteString("semanticVersion", version);
        json.WriteString("informationUri", InformationUri);
        json.WriteStartArray("rules");
        foreach (var rule in result.Rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", HipaaRules.PascalName(rule.Title));
            WriteText(json, "shortDescription", rule.Title);
            WriteText(json, "fullDescription", rule.Description);
            json.WriteString("helpUri", rule.HelpUri);
            json.WriteStartObject("help");
            json.WriteString("text", rule.Description + " See " + rule.HelpUri);
            json.WriteString("markdown", rule.Description + " See [" + rule.Id + "](" + rule.HelpUri + ").");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", LevelText(rule.DefaultLevel));
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("category", rule.Category);
            json.WriteStartArray("tags");
            foreach (var tag in Tags(rule))
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            if (SecuritySeverity(rule.Category) is { } severity)
            {
                // GitHub ranks security alerts by this CVSS-like score: 7.0 and above is "high", 4.0 to 6.9 "medium".
                json.WriteString("security-severity", severity);
                json.WriteString("precision", "high");
            }

            // hasCodeFix is true for "partly" too; codeFix tells the rules whose fix is offered for some findings only.
            json.WriteBoolean("hasCodeFix", rule.HasCodeFix);
            json.WriteString("codeFix", CodeFixText(rule.CodeFix));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, Dictionary<string, int> ruleIndex)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        if (ruleIndex.TryGetValue(finding.RuleId, out var index))
        {
            json.WriteNumber("ruleIndex", index);
        }

        json.WriteString("level", LevelText(finding.Level));
        WriteText(json, "message", finding.Message);
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        if (finding.RelativePath is not null)
        {
            json.WriteString("uri", RelativeUri(finding.RelativePath));
            json.WriteString("uriBaseId", SourceRootId);
        }
        else
        {
            json.WriteString("uri", finding.FullPath is null ? string.Empty : new Uri(finding.FullPath).AbsoluteUri);
        }

        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", finding.StartLine);
        json.WriteNumber("startColumn", finding.StartColumn);
        json.WriteNumber("endLine", finding.EndLine);
        json.WriteNumber("endColumn", finding.EndColumn);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("properties");
        json.WriteString("project", finding.Project);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static string LevelText(FindingLevel level) => level switch
    {
        FindingLevel.Error => "error",
        FindingLevel.Warning => "warning",
        FindingLevel.Note => "note",
        _ => "none",
    };

    /// <summary>"yes", "partly" or "no", as the SARIF property codeFix and the HTML report's rule table say it.</summary>
    public static string CodeFixText(CodeFixAvailability availability) => availability switch
    {
        CodeFixAvailability.Yes => "yes",
        CodeFixAvailability.Partly => "partly",
        _ => "no",
    };

    private static IEnumerable<string> Tags(RuleInfo rule)
    {
        yield return "hipaa";
        if (SecuritySeverity(rule.Category) is null)
        {
            // HIPAA900-HIPAA902: the analyzers' own settings and the runtime's registration, not a weakness in the code.
            yield return "configuration";
            yield break;
        }

        yield return "security";
        switch (rule.Category)
        {
            case HipaaAnalyzers.Infrastructure.Descriptors.PhiExposureCategory:
                yield return "phi";
                yield return "privacy";
                break;
            case HipaaAnalyzers.Infrastructure.Descriptors.CryptographyCategory:
                yield return "cryptography";
                break;
            case HipaaAnalyzers.Infrastructure.Descriptors.SecretsCategory:
                yield return "secrets";
                break;
            case HipaaAnalyzers.Infrastructure.Descriptors.AccessControlCategory:
                yield return "access-control";
                break;
            case HipaaAnalyzers.Infrastructure.Descriptors.AuditCategory:
                yield return "audit";
                break;
        }
    }

    /// <summary>
    /// GitHub code scanning's score for a rule family: PHI exposure, disallowed cryptography, hard-coded secrets and PHI
    /// endpoints without authorization are high (7.0 to 8.0); a PHI endpoint without an audit record is medium (5.0).
    /// Null for the configuration rules, which are not security alerts.
    /// </summary>
    internal static string? SecuritySeverity(string category) => category switch
    {
        HipaaAnalyzers.Infrastructure.Descriptors.PhiExposureCategory => "7.5",
        HipaaAnalyzers.Infrastructure.Descriptors.CryptographyCategory => "7.0",
        HipaaAnalyzers.Infrastructure.Descriptors.SecretsCategory => "8.0",
        HipaaAnalyzers.Infrastructure.Descriptors.AccessControlCategory => "8.0",
        HipaaAnalyzers.Infrastructure.Descriptors.AuditCategory => "5.0",
        _ => null,
    };

    private static void WriteText(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>"samples/My App/Program.cs" gives "samples/My%20App/Program.cs".</summary>
    private static string RelativeUri(string relativePath) =>
        string.Join("/", relativePath.Split('/').Select(Uri.EscapeDataString));

    private static string DirectoryUri(string directory)
    {
        var uri = new Uri(Path.GetFullPath(directory)).AbsoluteUri;
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    public static string ToolVersion()
    {
        var informational = typeof(SarifReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? informational.Substring(0, plus) : informational;
    }
}
