using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Secrets;

/// <summary>
/// The project-wide option of the secrets rules (HIPAA201, HIPAA202, HIPAA203),
/// <c>hipaa_analyzers.secrets_in_test_projects</c>. It decides whether the rules run at all in a compilation, so it is
/// read from the global options (a <c>.globalconfig</c>), not per file. An invalid value is collected in
/// <see cref="Errors"/>, reported once as HIPAA900, and replaced by the default.
/// </summary>
internal sealed class SecretsOptions
{
    public const string InTestProjectsKey = PhiOptions.Prefix + "secrets_in_test_projects";

    /// <summary>Every key the secrets rules read; the docs tests check each is documented.</summary>
    public static readonly string[] AllKeys = { InTestProjectsKey };

    /// <summary>The default: the secrets rules stay quiet in test projects.</summary>
    public static readonly SecretsOptions Default = new(inTestProjects: false, System.Array.Empty<OptionError>());

    private static readonly SecretsOptions InTestProjectsToo = new(inTestProjects: true, System.Array.Empty<OptionError>());

    private SecretsOptions(bool inTestProjects, IReadOnlyList<OptionError> errors)
    {
        InTestProjects = inTestProjects;
        Errors = errors;
    }

    /// <summary>Whether the secrets rules report in test projects too.</summary>
    public bool InTestProjects { get; }

    public IReadOnlyList<OptionError> Errors { get; }

    /// <summary>Reads the option from the global options of a compilation (<c>AnalyzerConfigOptionsProvider.GlobalOptions</c>).</summary>
    public static SecretsOptions Read(AnalyzerConfigOptions globalOptions)
    {
        if (!globalOptions.TryGetValue(InTestProjectsKey, out var text))
        {
            return Default;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "true":
                return InTestProjectsToo;
            case "false":
                return Default;
            default:
                return new SecretsOptions(false,
                    new[] { new OptionError(InTestProjectsKey, $"'{text}' is not one of the allowed values 'true' or 'false'") });
        }
    }

    /// <summary>
    /// The option set for one file in an <c>.editorconfig</c> section rather than for the whole project: it would be
    /// ignored, so it is reported (as HIPAA900) instead.
    /// </summary>
    public static IReadOnlyList<OptionError> PerFileErrors(AnalyzerConfigOptions fileOptions, AnalyzerConfigOptions globalOptions)
    {
        if (!fileOptions.TryGetValue(InTestProjectsKey, out var value) ||
            globalOptions.TryGetValue(InTestProjectsKey, out var global) && global == value)
        {
            return Default.Errors;
        }

        return new[]
        {
            new OptionError(InTestProjectsKey,
                $"'{value}' is set for source files (an .editorconfig section), but this option applies to a whole project and is read only from a .globalconfig (is_global = true)"),
        };
    }
}
