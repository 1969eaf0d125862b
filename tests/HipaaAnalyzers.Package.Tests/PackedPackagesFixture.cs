using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HipaaAnalyzers.Package.Tests;

/// <summary>
/// Packs the packages once for the test collection, into a temporary folder that also holds the consumer projects, and
/// removes it afterwards: HipaaAnalyzers, HipaaAnalyzers.Runtime, HipaaAnalyzers.Runtime.AspNetCore,
/// HipaaAnalyzers.Runtime.EntityFrameworkCore, and the hipaa-scan tool, which it installs into a tool folder as
/// docs/cli.md describes.
/// </summary>
public sealed class PackedPackagesFixture : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ToolInstallTimeout = TimeSpan.FromMinutes(3);

    private readonly ProcessResult _analyzerPack;
    private readonly ProcessResult _runtimePack;
    private readonly ProcessResult _aspNetCorePack;
    private readonly ProcessResult _entityFrameworkCorePack;
    private readonly ProcessResult _scannerPack;
    private readonly object _scannerInstallGate = new();
    private ProcessResult? _scannerInstall;
    private int _consumerCount;

    public PackedPackagesFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "hipaa-package-tests-" + Guid.NewGuid().ToString("N").Substring(0, 12));

        // A version no earlier run used, so no NuGet cache can hand back a stale package.
        Version = string.Create(
            CultureInfo.InvariantCulture,
            $"0.1.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000, 10000)}");

        PackageSource = Path.Combine(Root, "packages");
        ConsumersRoot = Path.Combine(Root, "consumers");
        Directory.CreateDirectory(PackageSource);
        Directory.CreateDirectory(ConsumersRoot);
        WriteConsumerNuGetConfig();

        // Two lines of packs side by side; the projects of one line are not built by the other (the analyzers and the
        // scanner share the analyzer projects, the runtime packages share HipaaAnalyzers.Runtime).
        var analyzerLine = Task.Run(() =>
        {
            var analyzer = Pack(Path.Combine("src", "HipaaAnalyzers.Package", "HipaaAnalyzers.Package.csproj"));
            var scanner = Pack(Path.Combine("src", "HipaaAnalyzers.Cli", "HipaaAnalyzers.Cli.csproj"));
            return (analyzer, scanner);
        });
        var runtimeLine = Task.Run(() =>
        {
            var runtime = Pack(Path.Combine("src", "HipaaAnalyzers.Runtime", "HipaaAnalyzers.Runtime.csproj"));
            var aspNetCore = Pack(Path.Combine("src", "HipaaAnalyzers.Runtime.AspNetCore", "HipaaAnalyzers.Runtime.AspNetCore.csproj"));
            var entityFrameworkCore = Pack(Path.Combine("src", "HipaaAnalyzers.Runtime.EntityFrameworkCore", "HipaaAnalyzers.Runtime.EntityFrameworkCore.csproj"));
            return (runtime, aspNetCore, entityFrameworkCore);
        });
        (_analyzerPack, _scannerPack) = analyzerLine.GetAwaiter().GetResult();
        (_runtimePack, _aspNetCorePack, _entityFrameworkCorePack) = runtimeLine.GetAwaiter().GetResult();
    }

    public string RepositoryRoot { get; }

    /// <summary>Everything the tests write lives under here.</summary>
    public string Root { get; }

    public string Version { get; }

    /// <summary>The folder the packages are packed into; consumers restore from it.</summary>
    public string PackageSource { get; }

    public string ConsumersRoot { get; }

    public string AnalyzerPackagePath => Path.Combine(PackageSource, $"HipaaAnalyzers.{Version}.nupkg");

    public string RuntimePackagePath => Path.Combine(PackageSource, $"HipaaAnalyzers.Runtime.{Version}.nupkg");

    public string AspNetCorePackagePath => Path.Combine(PackageSource, $"HipaaAnalyzers.Runtime.AspNetCore.{Version}.nupkg");

    public string EntityFrameworkCorePackagePath => Path.Combine(PackageSource, $"HipaaAnalyzers.Runtime.EntityFrameworkCore.{Version}.nupkg");

    public string ScannerPackagePath => Path.Combine(PackageSource, $"hipaa-scan.{Version}.nupkg");

    /// <summary>The folder hipaa-scan is installed into (<c>dotnet tool install --tool-path</c>).</summary>
    public string ToolPath => Path.Combine(Root, "tools");

    /// <summary>Fails the calling test with the pack output when HipaaAnalyzers did not pack.</summary>
    public string RequireAnalyzerPackage() => Require(_analyzerPack, AnalyzerPackagePath);

    /// <summary>Fails the calling test with the pack output when HipaaAnalyzers.Runtime did not pack.</summary>
    public string RequireRuntimePackage() => Require(_runtimePack, RuntimePackagePath);

    /// <summary>Fails the calling test with the pack output when HipaaAnalyzers.Runtime.AspNetCore did not pack.</summary>
    public string RequireAspNetCorePackage() => Require(_aspNetCorePack, AspNetCorePackagePath);

    /// <summary>Fails the calling test with the pack output when HipaaAnalyzers.Runtime.EntityFrameworkCore did not pack.</summary>
    public string RequireEntityFrameworkCorePackage() => Require(_entityFrameworkCorePack, EntityFrameworkCorePackagePath);

    /// <summary>
    /// The hipaa-scan command, installed once from the packed tool as docs/cli.md describes (<c>dotnet tool install
    /// hipaa-scan</c>, here into <see cref="ToolPath"/> rather than the user's global tools). Fails the calling test with
    /// the pack or install output when either failed.
    /// </summary>
    public string RequireHipaaScan()
    {
        Require(_scannerPack, ScannerPackagePath);
        var command = Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "hipaa-scan.exe" : "hipaa-scan");
        lock (_scannerInstallGate)
        {
            // Restores from the consumers' nuget.config: the packed folder, and the private global packages folder.
            _scannerInstall ??= DotnetCli.Run(
                ConsumersRoot,
                ToolInstallTimeout,
                new[] { "tool", "install", "hipaa-scan", "--tool-path", ToolPath, "--add-source", PackageSource, "--version", Version });
        }

        if (!_scannerInstall.Succeeded || !File.Exists(command))
        {
            throw new InvalidOperationException($"Installing hipaa-scan failed or did not produce {command}.{Environment.NewLine}{_scannerInstall.Describe()}");
        }

        return command;
    }

    /// <summary>A new, empty project folder below the folder that holds the consumers' nuget.config.</summary>
    public string NewConsumerDirectory(string name)
    {
        var number = System.Threading.Interlocked.Increment(ref _consumerCount);
        var directory = Path.Combine(ConsumersRoot, $"{number:00}-{name}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>
    /// Environment for commands run in a consumer folder. MSBuild reads environment variables as
    /// properties, so this also covers commands without -p switches (dotnet add package). Nothing
    /// outside the consumer folder may shape its build.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ConsumerEnvironment { get; } = new Dictionary<string, string>
    {
        ["ImportDirectoryBuildProps"] = "false",
        ["ImportDirectoryBuildTargets"] = "false",
        ["ImportDirectoryPackagesProps"] = "false",
    };

    /// <summary>
    /// Environment for the installed hipaa-scan in a consumer folder: <see cref="ConsumerEnvironment"/>, and the .NET
    /// installation running these tests, which the tool's launcher finds through DOTNET_ROOT first.
    /// </summary>
    public static Dictionary<string, string?> ScannerEnvironment()
    {
        var environment = DotnetCli.BaseEnvironment();
        foreach (var pair in ConsumerEnvironment)
        {
            environment[pair.Key] = pair.Value;
        }

        if (Path.IsPathRooted(DotnetCli.Executable))
        {
            environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetCli.Executable);
        }

        return environment;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not worth failing the run for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Require(ProcessResult pack, string packagePath)
    {
        if (!pack.Succeeded || !File.Exists(packagePath))
        {
            throw new InvalidOperationException(
                $"Packing failed or did not produce {packagePath}.{Environment.NewLine}{pack.Describe()}");
        }

        return packagePath;
    }

    private ProcessResult Pack(string project)
    {
        var arguments = new List<string>
        {
            "pack", Path.Combine(RepositoryRoot, project),
            "-c", "Release",
            "-o", PackageSource,
            // Builds into the temp folder, never into the repository's bin/obj.
            "--artifacts-path", Path.Combine(Root, "artifacts"),
            "-p:Version=" + Version,
        };
        arguments.AddRange(DotnetCli.NoLingeringServers);
        return DotnetCli.Run(RepositoryRoot, PackTimeout, arguments);
    }

    private void WriteConsumerNuGetConfig()
    {
        // Adds the packed folder next to the sources the machine already has (dependencies such as
        // Microsoft.Extensions.Logging.Abstractions come from there). A private global packages folder
        // keeps the per-run packages out of the user's cache.
        var config = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "global-packages")}" />
              </config>
            </configuration>
            """;
        var path = Path.Combine(ConsumersRoot, "nuget.config");
        File.WriteAllText(path, config);

        // The packed folder becomes a source the way README's "Install from source" says.
        var add = DotnetCli.Run(ConsumersRoot, PackTimeout, new[] { "nuget", "add", "source", PackageSource, "--name", "hipaa-analyzers-under-test", "--configfile", path });
        if (!add.Succeeded)
        {
            throw new InvalidOperationException("dotnet nuget add source failed." + Environment.NewLine + add.Describe());
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HipaaAnalyzers.sln"))
                || File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} contains HipaaAnalyzers.sln or Directory.Packages.props.");
    }
}

/// <summary>The test classes that share one <see cref="PackedPackagesFixture"/>: the packages are packed once per run.</summary>
[Xunit.CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : Xunit.ICollectionFixture<PackedPackagesFixture>
{
    public const string Name = "Packed packages";
}
