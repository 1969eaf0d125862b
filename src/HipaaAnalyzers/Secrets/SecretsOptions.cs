using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Secrets;

/// <summary>
/// The project-wide options of the secrets rules (HIPAA201, HIPAA202, HIPAA203): <c>hipaa_analyzers.secrets_in_test_projects</c>
/// and <c>hipaa_analyzers.secrets_in_development_settings</c>. They decide whether the rules run at all in a compilation
/// or in a whole configuration file, so they are read from the global options (a <c>.globalconfig</c>), not per file.
/// An invalid value is collected in <see cref="Errors"/>, reported once as HIPAA900, and replaced by the default.
/// </summary>
internal sealed class SecretsOptions
{
    public const string InTestProjectsKey = PhiOptions.Prefix + "secrets_in_test_projects";

    /// <summary>Whether HIPAA201/HIPAA202 read appsettings.Development.json (and the other development-only files) too.</summary>
    public const string InDevelopmentSettingsKey = PhiOptions.Prefix + "secrets_in_development_settings";

    /// <summary>Every key the secrets rules read; the docs tests check each is documented.</summary>
    public static readonly string[] AllKeys = { InTestProjectsKey, InDevelopmentSettingsKey };

    /// <summary>The default: the secrets rules stay quiet in test projects and development settings files.</summary>
    public static readonly SecretsOptions Default = new(inTestProjects: false, inDevelopmentSettings: false, System.Array.Empty<OptionError>());

    private SecretsOptions(bool inTestProjects, bool inDevelopmentSettings, IReadOnlyList<OptionError> errors)
    {
        InTestProjects = inTestProjects;
        InDevelopmentSettings = inDevelopmentSettings;
        Errors = errors;
    }

    /// <summary>Whether the secrets rules report in test projects too.</summary>
    public bool InTestProjects { get; }

    /// <summary>Whether HIPAA201 and HIPAA202 report in appsettings.Development.json, web.Debug.config and the like too.</summary>
    public bool InDevelopmentSettings { get; }

    public IReadOnlyList<OptionError> Errors { get; }

    /// <summary>Reads the options from the global options of a compilation (<c>AnalyzerConfigOptionsProvider.GlobalOptions</c>).</summary>
    public static SecretsOptions Read(AnalyzerConfigOptions globalOptions)
    {
        var errors = new List<OptionError>();
        var inTestProjects = ReadBool(globalOptions, InTestProjectsKey, errors);
        var inDevelopmentSettings = ReadBool(globalOptions, InDevelopmentSettingsKey, errors);
        if (!inTestProjects && !inDevelopmentSettings && errors.Count == 0)
        {
            return Default;
        }

        return new SecretsOptions(inTestProjects, inDevelopmentSettings, errors);
    }

    private static bool ReadBool(AnalyzerConfigOptions globalOptions, string key, List<OptionError> errors)
    {
        if (!globalOptions.TryGetValue(key, out var text))
        {
            return false;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors.Add(new OptionError(key, $"'{text}' is not one of the allowed values 'true' or 'false'"));
                return false;
        }
    }

    /// <summary>
    /// An option set for one file in an <c>.editorconfig</c> section rather than for the whole project: it would be
    /// ignored, so it is reported (as HIPAA900) instead.
    /// </summary>
    public static IReadOnlyList<OptionError> PerFileErrors(AnalyzerConfigOptions fileOptions, AnalyzerConfigOptions globalOptions)
    {
        List<OptionError>? errors = null;
        foreach (var key in AllKeys)
        {
            if (!fileOptions.TryGetValue(key, out var value) ||
                globalOptions.TryGetValue(key, out var global) && global == value)
            {
                continue;
            }

            (errors ??= new List<OptionError>()).Add(new OptionError(key,
                $"'{value}' is set for source files (an .editorconfig section), but this option applies to a whole project and is read only from a .globalconfig (is_global = true)"));
        }

        return errors ?? (IReadOnlyList<OptionError>)Default.Errors;
    }
}
