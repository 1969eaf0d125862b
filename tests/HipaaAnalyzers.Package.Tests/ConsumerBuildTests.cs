using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Package.Tests;

/// <summary>
/// Checks the packed HipaaAnalyzers and HipaaAnalyzers.Runtime packages the way a team meets them:
/// the package contents, then fresh projects outside the repository that restore them by version
/// and build with the default preset, the strict CI opt-in and their own severities.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class ConsumerBuildTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] RuleIds = {
        "HIPAA001", "HIPAA002", "HIPAA003", "HIPAA004", "HIPAA005", "HIPAA006", "HIPAA101", "HIPAA102", "HIPAA103", "HIPAA104", "HIPAA105", "HIPAA106", "HIPAA107", "HIPAA108", "HIPAA109", "HIPAA110", "HIPAA201", "HIPAA202", "HIPAA203", "HIPAA204", "HIPAA205", "HIPAA301", "HIPAA302", "HIPAA303", "HIPAA304", "HIPAA401", "HIPAA900", "HIPAA901", "HIPAA902",
    };

    private static readonly Regex AnyHipaaDiagnostic = new(@"\b(warning|error|info) HIPAA\d{3}\b", RegexOptions.CultureInvariant);

    private const string LeakyCode = """
        using Microsoft.Extensions.Logging;

        public class Patient { public string Ssn { get; set; } = ""; }

        public class Svc { public void Run(ILogger<Svc> log, Patient p) => log.LogInformation("SSN {Ssn}", p.Ssn); }
        """;

    private const string CompliantCode = """
        using HipaaAnalyzers.Runtime;
        using Microsoft.Extensions.Logging;

        public class Patient { public string Ssn { get; set; } = ""; }

        public class Svc { public void Run(ILogger<Svc> log, Patient p) => log.LogInformation("SSN {Ssn}", Phi.Redact(p.Ssn)); }
        """;

    private readonly PackedPackagesFixture _fixture;
    private readonly ITestOutputHelper _output;

    public ConsumerBuildTests(PackedPackagesFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void AnalyzerPackage_ShipsBothAssembliesAsAnalyzers_AndNothingUnderLib()
    {
        using var package = ZipFile.OpenRead(_fixture.RequireAnalyzerPackage());
        var entries = EntryNames(package);

        var analyzers = entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).OrderBy(e => e, StringComparer.Ordinal);
        Assert.Equal(
            new[] { "analyzers/dotnet/cs/HipaaAnalyzers.CodeFixes.dll", "analyzers/dotnet/cs/HipaaAnalyzers.dll" },
            analyzers);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, e => e.StartsWith("ref/", StringComparison.Ordinal));
    }

    [Fact]
    public void AnalyzerPackage_ShipsBuildFilesPresetsAndReadme()
    {
        using var package = ZipFile.OpenRead(_fixture.RequireAnalyzerPackage());
        var entries = EntryNames(package);

        foreach (var expected in new[]
        {
            "README.md",
            "buildTransitive/HipaaAnalyzers.props",
            "buildTransitive/HipaaAnalyzers.targets",
            "build/HipaaAnalyzers.props",
            "build/HipaaAnalyzers.targets",
            "config/recommended.globalconfig",
            "config/strict-ci.globalconfig",
        })
        {
            Assert.True(entries.Contains(expected), $"{expected} is missing. The package holds:{Environment.NewLine}{string.Join(Environment.NewLine, entries.Order(StringComparer.Ordinal))}");
        }
    }

    [Fact]
    public void AnalyzerPackage_IsADevelopmentDependency_WithoutDependencies()
    {
        using var package = ZipFile.OpenRead(_fixture.RequireAnalyzerPackage());
        var nuspec = ReadNuspec(package);

        Assert.Equal("HipaaAnalyzers", Element(nuspec, "id")?.Value);
        Assert.Equal(_fixture.Version, Element(nuspec, "version")?.Value);
        Assert.Equal("true", Element(nuspec, "developmentDependency")?.Value);
        Assert.Equal("README.md", Element(nuspec, "readme")?.Value);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Theory]
    [InlineData("recommended", "warning")]
    [InlineData("strict-ci", "error")]
    public void Preset_SetsEveryRule_BelowTheTeamsOwnSettings(string preset, string severity)
    {
        using var package = ZipFile.OpenRead(_fixture.RequireAnalyzerPackage());
        var entry = package.GetEntry($"config/{preset}.globalconfig");
        Assert.NotNull(entry);
        using var reader = new StreamReader(entry.Open());
        var settings = ParseGlobalConfig(reader.ReadToEnd());

        Assert.Equal("true", settings.GetValueOrDefault("is_global"));
        Assert.True(
            int.TryParse(settings.GetValueOrDefault("global_level"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level) && level < 0,
            $"global_level must be negative so a team's .globalconfig (level 0 or 100) wins; found '{settings.GetValueOrDefault("global_level")}'.");

        var severities = settings.Where(s => s.Key.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        Assert.Equal(RuleIds.Select(id => $"dotnet_diagnostic.{id}.severity").Order(StringComparer.Ordinal), severities.Keys.Order(StringComparer.Ordinal));
        Assert.All(severities, s => Assert.Equal(severity, s.Value));
    }

    [Fact]
    public void RuntimePackage_HasNet8AndNet10Assemblies()
    {
        using var package = ZipFile.OpenRead(_fixture.RequireRuntimePackage());
        var entries = EntryNames(package);

        Assert.Contains("lib/net8.0/HipaaAnalyzers.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/HipaaAnalyzers.Runtime.dll", entries);
    }

    [Fact]
    public void DotnetAddPackage_ThenBuild_ReportsHipaa001AsWarning()
    {
        RequireBothPackages();
        var project = CreateConsumer("add-package", LeakyCode, referenceHipaaPackages: false);

        foreach (var package in new[] { "HipaaAnalyzers", "HipaaAnalyzers.Runtime" })
        {
            // As README's "Install from source" says: the packed folder is a package source (the consumers' nuget.config, which
            // is what "dotnet nuget add source" writes), and the package is added by name.
            var add = Dotnet(project, "add", ProjectFile(project), "package", package, "--version", _fixture.Version);
            Assert.True(add.Succeeded, add.Describe());
        }

        // A development dependency must stay private to the consuming project.
        var projectXml = XDocument.Load(ProjectFile(project));
        var analyzerReference = projectXml.Descendants("PackageReference").Single(e => (string?)e.Attribute("Include") == "HipaaAnalyzers");
        Assert.Equal("all", analyzerReference.Element("PrivateAssets")?.Value ?? (string?)analyzerReference.Attribute("PrivateAssets"));

        var build = Build(project);

        Assert.True(build.Succeeded, build.Describe());
        AssertContains(build, "warning HIPAA001");
        AssertDoesNotContain(build, "error HIPAA001");
    }

    [Theory]
    [InlineData("command line")]
    [InlineData("project file")]
    [InlineData("preset property")]
    public void StrictOptIn_FailsTheBuild_WithHipaa001AsError(string optIn)
    {
        RequireBothPackages();
        var extraProperties = optIn == "project file" ? "<HipaaAnalyzersStrict>true</HipaaAnalyzersStrict>" : "";
        var project = CreateConsumer("strict-" + optIn.Replace(' ', '-'), LeakyCode, extraProperties);
        var switches = optIn switch
        {
            "command line" => new[] { "-p:HipaaAnalyzersStrict=true" },
            "preset property" => new[] { "-p:HipaaAnalyzersPreset=strict-ci" },
            _ => Array.Empty<string>(),
        };

        var build = Build(project, switches);

        Assert.False(build.Succeeded, "The strict build should fail." + Environment.NewLine + build.Describe());
        Assert.False(build.TimedOut, build.Describe());
        AssertContains(build, "error HIPAA001");
    }

    [Fact]
    public void SwitchingToStrict_AfterAnIncrementalBuild_RecompilesAndFails()
    {
        RequireBothPackages();
        var project = CreateConsumer("strict-after-build", LeakyCode);

        var first = Build(project);
        Assert.True(first.Succeeded, first.Describe());
        AssertContains(first, "warning HIPAA001");

        // The same project, built again with the strict preset and nothing else changed: the compiler must run again.
        var strict = Build(project, "-p:HipaaAnalyzersStrict=true");
        Assert.False(strict.Succeeded, "The strict build after a normal one should fail." + Environment.NewLine + strict.Describe());
        AssertContains(strict, "error HIPAA001");

        var back = Build(project);
        Assert.True(back.Succeeded, back.Describe());
        AssertContains(back, "warning HIPAA001");
    }

    [Theory]
    [InlineData("", "recommended")]
    [InlineData("-p:HipaaAnalyzersStrict=true", "strict-ci")]
    [InlineData("-p:HipaaAnalyzersPreset=strict-ci", "strict-ci")]
    [InlineData("-p:HipaaAnalyzersPreset=none", "")]
    [InlineData("-p:HipaaAnalyzersPreset=none -p:HipaaAnalyzersStrict=true", "strict-ci")]
    public void PresetSelection_HandsTheCompilerAtMostOnePresetFile(string switches, string expectedPreset)
    {
        RequireBothPackages();
        var project = CreateConsumer("select-" + (expectedPreset.Length == 0 ? "none" : expectedPreset), LeakyCode);
        var arguments = new List<string> { "msbuild", ProjectFile(project), "-restore", "-t:HipaaAnalyzersSelectPreset", "-getItem:EditorConfigFiles" };
        arguments.AddRange(DotnetCli.NoLingeringServers);
        arguments.AddRange(switches.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var result = Dotnet(project, arguments.ToArray());

        Assert.True(result.Succeeded, result.Describe());
        var jsonStart = result.Output.IndexOf('{', StringComparison.Ordinal);
        Assert.True(jsonStart >= 0, "Expected the EditorConfigFiles items as JSON." + Environment.NewLine + result.Describe());
        using var json = JsonDocument.Parse(result.Output.Substring(jsonStart));
        // EditorConfigFiles is what the compiler reads; the preset must reach it, once.
        var presets = json.RootElement.GetProperty("Items").GetProperty("EditorConfigFiles").EnumerateArray()
            .Where(item => item.GetProperty("Extension").GetString() == ".globalconfig"
                && item.GetProperty("DefiningProjectName").GetString() == "HipaaAnalyzers")
            .Select(item => item.GetProperty("Filename").GetString())
            .ToArray();
        Assert.Equal(expectedPreset.Length == 0 ? Array.Empty<string>() : new[] { expectedPreset }, presets);
    }

    [Fact]
    public void CompliantCode_BuildsWithoutHipaaDiagnostics_UnderStrict()
    {
        RequireBothPackages();
        var project = CreateConsumer("compliant", CompliantCode);

        var build = Build(project, "-p:HipaaAnalyzersStrict=true");

        Assert.True(build.Succeeded, build.Describe());
        Assert.False(AnyHipaaDiagnostic.IsMatch(build.Output), "Expected no HIPAA diagnostics." + Environment.NewLine + build.Describe());
    }

    [Theory]
    [InlineData(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.HIPAA001.severity = warning\n")]
    [InlineData(".globalconfig", "is_global = true\ndotnet_diagnostic.HIPAA001.severity = warning\n")]
    public void TeamSeverity_WinsOverTheStrictPreset(string fileName, string content)
    {
        RequireBothPackages();
        var project = CreateConsumer("team-" + fileName.TrimStart('.'), LeakyCode);
        File.WriteAllText(Path.Combine(project, fileName), content);

        var build = Build(project, "-p:HipaaAnalyzersStrict=true");

        Assert.True(build.Succeeded, build.Describe());
        AssertContains(build, "warning HIPAA001");
        AssertDoesNotContain(build, "error HIPAA001");
    }

    [Fact]
    public void NonePreset_LeavesHipaa001AtItsDefaultSeverity()
    {
        RequireBothPackages();
        var project = CreateConsumer("preset-none", LeakyCode);

        var build = Build(project, "-p:HipaaAnalyzersPreset=none");

        Assert.True(build.Succeeded, build.Describe());
        AssertContains(build, "warning HIPAA001");
    }

    [Theory]
    [InlineData("HipaaAnalyzersPreset", "bogus", "recommended, strict-ci, none")]
    [InlineData("HipaaAnalyzersStrict", "maybe", "true, false")]
    public void InvalidPropertyValue_FailsTheBuild_NamingThePropertyAndAllowedValues(string property, string value, string allowed)
    {
        RequireBothPackages();
        var project = CreateConsumer("invalid-" + property, LeakyCode);

        var build = Build(project, $"-p:{property}={value}");

        Assert.False(build.Succeeded, "The build should fail." + Environment.NewLine + build.Describe());
        Assert.False(build.TimedOut, build.Describe());
        AssertContains(build, $"'{value}' is not a valid value for the MSBuild property {property}. Allowed values: {allowed}.");
    }

    /// <summary>An appsettings.json whose connection string (line 4) has a password; written with a comment and a trailing comma.</summary>
    private const string SettingsWithPassword = """
        {
          // The clinic database.
          "ConnectionStrings": {
            "Clinic": "Host=db.clinic.internal;Database=clinic;Username=clinic_app;Password=Winter2026!Clinic",
          },
          "Logging": { "LogLevel": { "Default": "Information" } }
        }
        """;

    [Fact]
    public void SettingsFile_WithAConnectionStringPassword_ReportsHipaa202AtItsLine()
    {
        RequireBothPackages();
        var project = CreateConsumer("settings-password", CompliantCode);
        File.WriteAllText(Path.Combine(project, "appsettings.json"), SettingsWithPassword);

        var build = Build(project);

        Assert.True(build.Succeeded, build.Describe());
        Assert.Matches(new Regex(@"appsettings\.json\(4,\d+(,\d+,\d+)?\): warning HIPAA202\b"), build.Output);
    }

    [Fact]
    public void SettingsFile_WithAConnectionStringPassword_FailsTheStrictBuild()
    {
        RequireBothPackages();
        var project = CreateConsumer("settings-strict", CompliantCode);
        File.WriteAllText(Path.Combine(project, "appsettings.json"), SettingsWithPassword);

        var build = Build(project, "-p:HipaaAnalyzersStrict=true");

        Assert.False(build.Succeeded, "The strict build should fail." + Environment.NewLine + build.Describe());
        Assert.False(build.TimedOut, build.Describe());
        Assert.Matches(new Regex(@"appsettings\.json\(4,\d+(,\d+,\d+)?\): error HIPAA202\b"), build.Output);
    }

    [Fact]
    public void SettingsFiles_CanBeLeftOut_WithHipaaAnalyzersReadSettingsFiles()
    {
        RequireBothPackages();
        var project = CreateConsumer("settings-opt-out", CompliantCode, "<HipaaAnalyzersReadSettingsFiles>false</HipaaAnalyzersReadSettingsFiles>");
        File.WriteAllText(Path.Combine(project, "appsettings.json"), SettingsWithPassword);

        var build = Build(project, "-p:HipaaAnalyzersStrict=true");

        Assert.True(build.Succeeded, build.Describe());
        Assert.False(AnyHipaaDiagnostic.IsMatch(build.Output), "Expected no HIPAA diagnostics." + Environment.NewLine + build.Describe());
    }

    private void RequireBothPackages()
    {
        _fixture.RequireAnalyzerPackage();
        _fixture.RequireRuntimePackage();
    }

    private string CreateConsumer(string name, string code, string extraProperties = "", bool referenceHipaaPackages = true)
    {
        var directory = _fixture.NewConsumerDirectory(name);
        var hipaaReferences = referenceHipaaPackages
            ? $"""
                  <PackageReference Include="HipaaAnalyzers" Version="{_fixture.Version}">
                    <PrivateAssets>all</PrivateAssets>
                    <IncludeAssets>runtime; build; native; contentfiles; analyzers; buildtransitive</IncludeAssets>
                  </PackageReference>
                  <PackageReference Include="HipaaAnalyzers.Runtime" Version="{_fixture.Version}" />
              """
            : "";
        var projectText = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" Version="10.0.0" />
            {hipaaReferences}
              </ItemGroup>
            </Project>
            """;
        File.WriteAllText(ProjectFile(directory), projectText);
        File.WriteAllText(Path.Combine(directory, "Svc.cs"), code);
        return directory;
    }

    private static string ProjectFile(string directory) => Path.Combine(directory, "Consumer.csproj");

    private ProcessResult Build(string project, params string[] switches)
    {
        var arguments = new List<string> { "build", ProjectFile(project) };
        arguments.AddRange(DotnetCli.NoLingeringServers);
        arguments.AddRange(switches);
        return Dotnet(project, arguments.ToArray());
    }

    private ProcessResult Dotnet(string workingDirectory, params string[] arguments)
    {
        var result = DotnetCli.Run(workingDirectory, BuildTimeout, arguments, PackedPackagesFixture.ConsumerEnvironment);
        _output.WriteLine(result.Describe());
        return result;
    }

    private static void AssertContains(ProcessResult result, string expected) =>
        Assert.True(result.Output.Contains(expected, StringComparison.Ordinal), $"Expected the output to contain \"{expected}\".{Environment.NewLine}{result.Describe()}");

    private static void AssertDoesNotContain(ProcessResult result, string unexpected) =>
        Assert.False(result.Output.Contains(unexpected, StringComparison.Ordinal), $"Expected the output not to contain \"{unexpected}\".{Environment.NewLine}{result.Describe()}");

    private static HashSet<string> EntryNames(ZipArchive package) =>
        package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

    private static XDocument ReadNuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    private static XElement? Element(XDocument nuspec, string localName) =>
        nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);

    private static Dictionary<string, string> ParseGlobalConfig(string text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' || line[0] == '[')
            {
                continue;
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0)
            {
                settings[line.Substring(0, separator).Trim()] = line.Substring(separator + 1).Trim();
            }
        }

        return settings;
    }
}
