using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>One SARIF result, flattened.</summary>
public sealed record SarifResult(string RuleId, int RuleIndex, string Level, string Message, string Uri, string? UriBaseId, int StartLine, string? Project);

/// <summary>Reads the parts of a SARIF log the tests check.</summary>
public sealed class Sarif
{
    private Sarif(JsonElement root)
    {
        Root = root;
        Run = root.GetProperty("runs")[0];
        Rules = Run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Results = Run.GetProperty("results").EnumerateArray().Select(Flatten).ToList();
    }

    public JsonElement Root { get; }

    public JsonElement Run { get; }

    public IReadOnlyList<JsonElement> Rules { get; }

    public IReadOnlyList<SarifResult> Results { get; }

    public static Sarif Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new Sarif(document.RootElement.Clone());
    }

    private static SarifResult Flatten(JsonElement result)
    {
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        var artifact = location.GetProperty("artifactLocation");
        return new SarifResult(
            result.GetProperty("ruleId").GetString()!,
            result.TryGetProperty("ruleIndex", out var index) ? index.GetInt32() : -1,
            result.GetProperty("level").GetString()!,
            result.GetProperty("message").GetProperty("text").GetString()!,
            artifact.GetProperty("uri").GetString()!,
            artifact.TryGetProperty("uriBaseId", out var baseId) ? baseId.GetString() : null,
            location.GetProperty("region").GetProperty("startLine").GetInt32(),
            result.TryGetProperty("properties", out var properties) && properties.TryGetProperty("project", out var project) ? project.GetString() : null);
    }
}
