using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>Bad input gets a clear message and its own exit code (docs/cli.md lists them).</summary>
public sealed class ExitCodeTests
{
    private readonly ITestOutputHelper _output;

    public ExitCodeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Missing_path_exits_with_3()
    {
        var run = Run(TestPaths.RepositoryRoot, "samples/DoesNotExist");
        Assert.Equal(ExitCodes.PathNotFound, run.ExitCode);
        Assert.Contains("The path 'samples/DoesNotExist' does not exist.", run.StandardError);
    }

    [Fact]
    public void Folder_without_a_project_exits_with_3()
    {
        var directory = TestPaths.NewTempDirectory("empty");
        File.WriteAllText(Path.Combine(directory, "notes.txt"), "no projects here");
        var run = Run(directory, ".");
        Assert.Equal(ExitCodes.PathNotFound, run.ExitCode);
        Assert.Contains("holds no .sln, .slnx or .csproj file", run.StandardError);
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("--fail-on", "sometimes")]
    [InlineData("--dry-run")]
    [InlineData("--top", "-1")]
    public void Invalid_arguments_exit_with_2(params string[] arguments)
    {
        var all = new string[arguments.Length + 1];
        all[0] = "samples/ClinicApi";
        arguments.CopyTo(all, 1);
        var run = Run(TestPaths.RepositoryRoot, all);
        Assert.Equal(ExitCodes.InvalidArguments, run.ExitCode);
        Assert.Contains("error:", run.StandardError);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("patch")]
    public void Pinned_sdk_that_is_not_installed_scans_with_the_newest_installed_and_warns(string rollForward)
    {
        var newest = InstalledSdks().Max()!;
        var solution = TinySolution.Create("pinned-sdk").CSharpProject("App/App.csproj");
        solution.File("global.json", $$"""{ "sdk": { "version": "10.0.999", "rollForward": "{{rollForward}}" } }""");
        var sarifPath = solution.PathOf("scan.sarif");
        var aliases = Directory.GetDirectories(Path.GetTempPath(), "hipaa-scan-sdk-*");

        var run = Run(solution.Directory, ".", "--sarif", sarifPath);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains(
            $"global.json asks for .NET SDK 10.0.999 (rollForward: {rollForward}), which is not installed; scanning with .NET SDK {newest}, the newest installed, instead.",
            run.FlatError);
        Assert.Contains($"Scanning App.csproj with .NET SDK {newest}", run.StandardError);

        // Standard output is the report: no list of installed SDKs from the host there.
        Assert.DoesNotMatch(new Regex(@"^\d+\.\d+\.\d+ \[", RegexOptions.Multiline), run.StandardOutput);
        var sarif = Sarif.Load(sarifPath);
        Assert.Equal(new[] { "App/Intake.cs:5 HIPAA001" }, sarif.Results.Select(r => $"{r.Uri}:{r.StartLine} {r.RuleId}").ToArray());
        Assert.Contains(
            sarif.Run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").EnumerateArray(),
            n => n.GetProperty("level").GetString() == "warning" && n.GetProperty("message").GetProperty("text").GetString()!.Contains("10.0.999", StringComparison.Ordinal));

        // The temporary .NET folder the build hosts used is gone.
        Assert.Equal(aliases, Directory.GetDirectories(Path.GetTempPath(), "hipaa-scan-sdk-*"));
        solution.Delete();
    }

    [Fact]
    public void No_sdk_installed_exits_with_4()
    {
        // A .NET installation with the runtime and no SDK: a copy of the dotnet executable (hostfxr takes the
        // installation from its real path) next to links to the real host and shared runtimes.
        var dotnet = ProcessRunner.DotnetExecutable();
        if (!Path.IsPathRooted(dotnet))
        {
            dotnet = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Select(d => Path.Combine(d, dotnet))
                .First(File.Exists);
        }

        var real = Path.GetDirectoryName(File.ResolveLinkTarget(dotnet, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(dotnet))!;
        var root = TestPaths.NewTempDirectory("no-sdk-root");
        var copy = Path.Combine(root, Path.GetFileName(dotnet));
        File.Copy(Path.Combine(real, Path.GetFileName(dotnet)), copy);
        Directory.CreateSymbolicLink(Path.Combine(root, "host"), Path.Combine(real, "host"));
        Directory.CreateSymbolicLink(Path.Combine(root, "shared"), Path.Combine(real, "shared"));
        var solution = TinySolution.Create("no-sdk").CSharpProject("App/App.csproj");

        // Nothing points at the real installation: MSBuildLocator looks at DOTNET_ROOT, then the PATH.
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_ROOT"] = null, ["DOTNET_HOST_PATH"] = null, ["DOTNET_MSBUILD_SDK_RESOLVER_CLI_DIR"] = null, ["PATH"] = root,
        };
        var run = ProcessRunner.HipaaScanWith(copy, environment, solution.Directory, "App");
        _output.WriteLine(run.Describe());

        Assert.Equal(ExitCodes.SdkNotFound, run.ExitCode);
        Assert.Contains("No .NET SDK was found", run.StandardError);
        solution.Delete();
    }

    [Theory]
    [InlineData("--sarif")]
    [InlineData("--html")]
    public void Report_path_that_is_a_folder_exits_with_2_before_the_scan(string option)
    {
        var solution = TinySolution.Create("report-folder").CSharpProject("App/App.csproj");
        Directory.CreateDirectory(solution.PathOf("reports"));

        var run = Run(solution.Directory, "App", option, "reports");

        Assert.Equal(ExitCodes.InvalidArguments, run.ExitCode);
        Assert.Contains($"error: {option} 'reports' is a folder; give the report's file name, for example 'reports/", run.FlatError);
        Assert.DoesNotContain("Restoring", run.StandardError);
        solution.Delete();
    }

    [Fact]
    public void Report_path_that_cannot_be_created_exits_with_2_before_the_scan()
    {
        var solution = TinySolution.Create("report-unwritable").CSharpProject("App/App.csproj");
        solution.File("notes.txt", "a file, not a folder");

        var run = Run(solution.Directory, "App", "--sarif", "ok.sarif", "--html", "notes.txt/report.html");

        Assert.Equal(ExitCodes.InvalidArguments, run.ExitCode);
        Assert.Contains($"error: --html 'notes.txt/report.html' cannot be written: '{solution.PathOf("notes.txt")}' is a file, not a folder.", run.FlatError);
        Assert.DoesNotContain("Restoring", run.StandardError);
        Assert.False(File.Exists(solution.PathOf("ok.sarif")));
        solution.Delete();
    }

    [Fact]
    public void Same_file_for_both_reports_exits_with_2()
    {
        var solution = TinySolution.Create("report-same").CSharpProject("App/App.csproj");

        var run = Run(solution.Directory, "App", "--sarif", "report.out", "--html", "./report.out");

        Assert.Equal(ExitCodes.InvalidArguments, run.ExitCode);
        Assert.Contains("--sarif and --html name the same file", run.StandardError);
        solution.Delete();
    }

    [Fact]
    public void Project_that_does_not_restore_exits_with_5()
    {
        var directory = TestPaths.NewTempDirectory("no-restore");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="packages" />
              </packageSources>
            </configuration>
            """);
        Directory.CreateDirectory(Path.Combine(directory, "packages"));
        File.WriteAllText(Path.Combine(directory, "App.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="HipaaScan.Tests.NoSuchPackage" Version="1.2.3" /></ItemGroup>
            </Project>
            """);
        var run = Run(directory, "App.csproj");
        Assert.Equal(ExitCodes.ProjectLoadFailed, run.ExitCode);
        Assert.Contains("does not restore", run.StandardError);
        Assert.Contains("NU1101", run.StandardError);
        Assert.Contains("No project restores, so nothing was scanned.", run.StandardError);
    }

    [Fact]
    public void Exit_code_tables_in_the_readme_and_the_cli_docs_list_every_exit_code()
    {
        var codes = typeof(ExitCodes).GetFields().Select(f => (int)f.GetValue(null)!).OrderBy(c => c).ToArray();
        foreach (var document in new[] { "README.md", Path.Combine("docs", "cli.md") })
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, document));
            var table = Regex.Matches(text, @"^\| (?<code>\d) \|", RegexOptions.Multiline).Select(m => int.Parse(m.Groups["code"].Value)).ToArray();
            Assert.True(codes.SequenceEqual(table), $"{document} lists exit codes {string.Join(", ", table)}; the scanner has {string.Join(", ", codes)}.");
            Assert.Contains("--require-complete", text);
            Assert.Contains(".slnf", text);
        }
    }

    private static IReadOnlyList<Version> InstalledSdks()
    {
        var list = ProcessRunner.Dotnet(TestPaths.NewTempDirectory("list-sdks"), new[] { "--list-sdks" }, TimeSpan.FromMinutes(1));
        return Regex.Matches(list.StandardOutput, @"^(?<version>\d+\.\d+\.\d+) ", RegexOptions.Multiline)
            .Select(m => Version.Parse(m.Groups["version"].Value))
            .ToList();
    }

    private ProcessResult Run(string directory, params string[] arguments)
    {
        var run = ProcessRunner.HipaaScan(directory, arguments);
        _output.WriteLine(run.Describe());
        Assert.False(run.TimedOut);
        return run;
    }
}
