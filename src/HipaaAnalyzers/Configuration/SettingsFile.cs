using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Configuration;

/// <summary>The two kinds of configuration file the rules read.</summary>
internal enum SettingsFileKind
{
    /// <summary><c>appsettings.json</c>, <c>appsettings.{Environment}.json</c>.</summary>
    Json,

    /// <summary><c>web.config</c>, <c>web.{Configuration}.config</c>.</summary>
    WebConfig,
}

/// <summary>
/// A configuration file of the project that reaches the analyzers as an additional file (the package adds
/// <c>appsettings*.json</c> and <c>web*.config</c>; hipaa-scan adds the same files): its kind, the environment it is
/// for and its entries. Read once per file text and shared by every rule that looks at configuration (HIPAA006,
/// HIPAA201, HIPAA202, HIPAA901).
/// </summary>
internal sealed class SettingsFile
{
    private static readonly ConditionalWeakTable<SourceText, SettingsReadResult> JsonCache = new();
    private static readonly ConditionalWeakTable<SourceText, SettingsReadResult> XmlCache = new();

    /// <summary>Environments whose files hold only a developer's machine settings.</summary>
    private static readonly string[] DevelopmentEnvironments = { "Development", "Dev", "Local", "Debug" };

    private SettingsFile(string path, string fileName, SettingsFileKind kind, string? environment, SourceText text, SettingsReadResult result)
    {
        Path = path;
        FileName = fileName;
        Kind = kind;
        Environment = environment;
        Text = text;
        Result = result;
    }

    public string Path { get; }

    /// <summary>"appsettings.Production.json".</summary>
    public string FileName { get; }

    public SettingsFileKind Kind { get; }

    /// <summary>"Production" of appsettings.Production.json; null for the base file.</summary>
    public string? Environment { get; }

    /// <summary>A file for a developer's machine only: appsettings.Development.json, web.Debug.config.</summary>
    public bool IsDevelopment =>
        Environment is { } environment && Array.Exists(DevelopmentEnvironments, e => e.Equals(environment, StringComparison.OrdinalIgnoreCase));

    public SourceText Text { get; }

    private SettingsReadResult Result { get; }

    public IReadOnlyList<SettingsEntry> Entries => Result.Entries;

    /// <summary>Why the file cannot be read, or null.</summary>
    public string? Error => Result.Error;

    /// <summary>Where reading stopped, for <see cref="Error"/>.</summary>
    public Location ErrorLocation => LocationOf(Result.ErrorSpan);

    /// <summary>A location in this file, which the compiler reports as path(line,column).</summary>
    public Location LocationOf(TextSpan span)
    {
        var end = Math.Min(span.End, Text.Length);
        var start = Math.Min(span.Start, end);
        var bounded = TextSpan.FromBounds(start, end);
        return Location.Create(Path, bounded, Text.Lines.GetLinePositionSpan(bounded));
    }

    /// <summary>
    /// Whether an additional file's name makes it a configuration file; cheap, and true for few files, so rules call it
    /// before anything else.
    /// </summary>
    public static bool IsSettingsFileName(string path, out SettingsFileKind kind, out string? environment)
    {
        kind = default;
        environment = null;
        string name;
        try
        {
            name = System.IO.Path.GetFileName(path);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            kind = SettingsFileKind.Json;
            environment = Middle(name, "appsettings".Length, ".json".Length);
            return true;
        }

        if (name.StartsWith("web", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".config", StringComparison.OrdinalIgnoreCase))
        {
            kind = SettingsFileKind.WebConfig;
            environment = Middle(name, "web".Length, ".config".Length);
            return true;
        }

        return false;
    }

    /// <summary>The configuration file behind an additional file, read once per text; null for any other file or one that cannot be loaded.</summary>
    public static SettingsFile? For(AdditionalText file, CancellationToken cancellationToken)
    {
        if (file.Path is not { Length: > 0 } path || !IsSettingsFileName(path, out var kind, out var environment))
        {
            return null;
        }

        SourceText? text;
        try
        {
            text = file.GetText(cancellationToken);
        }
        catch (IOException)
        {
            return null;
        }

        if (text is null)
        {
            return null;
        }

        var result = kind == SettingsFileKind.Json
            ? JsonCache.GetValue(text, t => JsonSettingsReader.Read(t))
            : XmlCache.GetValue(text, t => XmlSettingsReader.Read(t));
        return new SettingsFile(path, System.IO.Path.GetFileName(path), kind, environment, text, result);
    }

    /// <summary>"appsettings.Production.json" gives "Production"; "appsettings.json" gives null.</summary>
    private static string? Middle(string name, int prefixLength, int suffixLength)
    {
        var middle = name.Substring(prefixLength, name.Length - prefixLength - suffixLength).Trim('.');
        return middle.Length == 0 ? null : middle;
    }
}
