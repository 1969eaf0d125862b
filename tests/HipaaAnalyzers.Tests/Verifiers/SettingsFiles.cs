using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>
/// Runs one analyzer over a project with configuration files (appsettings*.json, web*.config) as additional files,
/// as the package hands them to the compiler. The files are written with diagnostic markup like the source.
/// </summary>
public static class SettingsFiles
{
    /// <summary>The C# of a project that has nothing to report, for tests about its configuration files.</summary>
    public const string QuietCode = "namespace Clinic { public static class Program { public static void Main() { } } }";

    public static Task VerifyAsync<TAnalyzer>(params (string Name, string Content)[] files)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        VerifyAsync<TAnalyzer>(QuietCode, globalConfig: null, files);

    public static async Task VerifyAsync<TAnalyzer>(string source, string? globalConfig, params (string Name, string Content)[] files)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = AnalyzerVerifier<TAnalyzer>.Create(source);
        foreach (var (name, content) in files)
        {
            test.TestState.AdditionalFiles.Add(("/0/" + name, content));
        }

        if (globalConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig + "\n"));
        }

        await test.RunAsync(CancellationToken.None);
    }
}
