using System.IO;
using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// Scans samples/ClinicApi once, as README's command does (from the repository root), writing SARIF and HTML into the
/// test artifacts; the SARIF, console and browser tests read the results.
/// </summary>
public sealed class SampleScanFixture
{
    public SampleScanFixture()
    {
        SarifPath = Path.Combine(TestPaths.Artifacts, "clinicapi.sarif");
        HtmlPath = Path.Combine(TestPaths.Artifacts, "clinicapi.html");
        File.Delete(SarifPath);
        File.Delete(HtmlPath);
        Result = ProcessRunner.HipaaScan(
            TestPaths.RepositoryRoot,
            "samples/ClinicApi", "--sarif", SarifPath, "--html", HtmlPath, "--fail-on", "warning", "--top", "50");
    }

    public ProcessResult Result { get; }

    public string SarifPath { get; }

    public string HtmlPath { get; }
}

[CollectionDefinition(Name)]
public sealed class SampleScanCollection : ICollectionFixture<SampleScanFixture>
{
    public const string Name = "samples/ClinicApi scan";
}
