using System;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Configuration;

/// <summary>
/// HIPAA201 and HIPAA202 in configuration files: each registers <see cref="Register"/> from its compilation start action
/// (after the test-project check), and reports the entries <see cref="SettingsSecrets"/> finds at their line in the file.
/// Development-only files (appsettings.Development.json, web.Debug.config) are skipped unless
/// <c>hipaa_analyzers.secrets_in_development_settings = true</c>; a file that cannot be read is HIPAA901's.
/// </summary>
internal static class SettingsSecretsRule
{
    public static void Register(CompilationStartAnalysisContext start, DiagnosticDescriptor descriptor, Func<SettingsEntry, SettingsFile, object[]?> check)
    {
        var inDevelopmentSettings = SecretsOptions.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions).InDevelopmentSettings;
        start.RegisterAdditionalFileAction(context =>
        {
            var file = SettingsFile.For(context.AdditionalFile, context.CancellationToken);
            if (file is null || file.Error is not null || (file.IsDevelopment && !inDevelopmentSettings))
            {
                return;
            }

            foreach (var entry in file.Entries)
            {
                if (check(entry, file) is { } arguments)
                {
                    context.ReportDiagnostic(Diagnostic.Create(descriptor, file.LocationOf(entry.Span), arguments));
                }
            }
        });
    }

    /// <summary>HIPAA202's message argument: "'ConnectionStrings:Clinic' in appsettings.json (a connection string with a password)".</summary>
    public static object[]? Credential(SettingsEntry entry, SettingsFile file) =>
        SettingsSecrets.Credential(entry) is { } what ? new object[] { "'" + entry.Key + "' in " + file.FileName + " (" + what + ")" } : null;

    /// <summary>HIPAA201's message arguments: the signing key passed to 'Jwt:Key in appsettings.json' is hard-coded (a literal configuration value).</summary>
    public static object[]? Key(SettingsEntry entry, SettingsFile file) =>
        SettingsSecrets.Key(entry) is { } what
            ? new object[] { what, entry.Key + " in " + file.FileName, "a literal value in a configuration file that is part of the source" }
            : null;
}
