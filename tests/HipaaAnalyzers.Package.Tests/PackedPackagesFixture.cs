using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HipaaAnalyzers.Package.Tests;

/// <summary>
/// Packs HipaaAnalyzers and HipaaAnalyzers.Runtime once for the test class, into a temporary
/// folder that also holds the consumer projects, and removes it afterwards.
/// </summary>
public sealed class PackedPackagesFixture : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    private readonly DotnetResult _analyzerPack;
    private readonly DotnetResult _runtimePack;
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

        // The two packages share no projects, so they can be packed side by side.
        var analyzer = Task.Run(() => Pack(Path.Combine("src", "HipaaAnalyzers.Package", "HipaaAnalyzers.Package.csproj")));
        var runtime = Task.Run(() => Pack(Path.Combine("src", "HipaaAnalyzers.Runtime", "HipaaAnalyzers.Runtime.csproj")));
        _analyzerPack = analyzer.GetAwaiter().GetResult();
        _runtimePack = runtime.GetAwaiter().GetResult();
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

    /// <summary>Fails the calling test with the pack output when HipaaAnalyzers did not pack.</summary>
    public string RequireAnalyzerPackage() => Require(_analyzerPack, AnalyzerPackagePath);

    /// <summary>Fails the calling test with the pack output when HipaaAnalyzers.Runtime did not pack.</summary>
    public string RequireRuntimePackage() => Require(_runtimePack, RuntimePackagePath);

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

    private static string Require(DotnetResult pack, string packagePath)
    {
        if (!pack.Succeeded || !File.Exists(packagePath))
        {
            throw new InvalidOperationException(
                $"Packing failed or did not produce {packagePath}.{Environment.NewLine}{pack.Describe()}");
        }

        return packagePath;
    }

    private DotnetResult Pack(string project)
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
              <packageSources>
                <add key="hipaa-analyzers-under-test" value="{PackageSource}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "global-packages")}" />
              </config>
            </configuration>
            """;
        File.WriteAllText(Path.Combine(ConsumersRoot, "nuget.config"), config);
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
