using System.IO;
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

    [Fact]
    public void Sdk_not_found_exits_with_4()
    {
        // global.json asks for an SDK that is not installed, and forbids rolling forward.
        var directory = TestPaths.NewTempDirectory("no-sdk");
        File.WriteAllText(Path.Combine(directory, "global.json"), """{ "sdk": { "version": "99.0.100", "rollForward": "disable" } }""");
        File.WriteAllText(Path.Combine(directory, "App.csproj"), """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>""");
        var run = Run(directory, ".");
        Assert.Equal(ExitCodes.SdkNotFound, run.ExitCode);
        Assert.Contains("No .NET SDK was found", run.StandardError);
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
    }

    private ProcessResult Run(string directory, params string[] arguments)
    {
        var run = ProcessRunner.HipaaScan(directory, arguments);
        _output.WriteLine(run.Describe());
        Assert.False(run.TimedOut);
        return run;
    }
}
