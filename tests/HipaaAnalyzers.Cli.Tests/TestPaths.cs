using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>Where the repository, the scanner's build output and the test artifacts are.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot").TrimEnd('/', '\\');

    /// <summary>hipaa-scan.dll in the scanner's own output folder, next to its runtimeconfig and build hosts.</summary>
    public static string HipaaScanAssembly { get; } = Metadata("HipaaScanAssembly");

    /// <summary>Kept after the run: the reports and the browser screenshot (TestResults/hipaa-scan under the test output).</summary>
    public static string Artifacts { get; } = CreateArtifacts();

    public static string Sample(string name) => Path.Combine(RepositoryRoot, "samples", name);

    /// <summary>A new folder under the system temp folder, outside any repository (so no Directory.Build.props applies).</summary>
    public static string NewTempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "hipaa-scan-tests", name + "-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateArtifacts()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "hipaa-scan");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Metadata(string key)
    {
        var value = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException($"The test assembly has no '{key}' metadata; the test project's build records it.");
        }

        return value;
    }
}
