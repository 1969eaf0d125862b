using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Benchmarks;

/// <summary>An analyzer package measured by the benchmark, with the rules it runs.</summary>
internal sealed class Tool
{
    public const string Hipaa = "hipaa";
    public const string SecurityCodeScan = "scs";
    public const string Sonar = "sonar";
    public const string NetAnalyzers = "netanalyzers";

    /// <summary>Only compiles; the baseline for compile time and memory.</summary>
    public const string Compiler = "compiler";

    /// <summary>
    /// One analyzer with empty operation actions for the kinds HipaaAnalyzers registers: what CompilationWithAnalyzers
    /// costs by itself (binding every method body, building its operation trees). A tool's wall time minus this is
    /// what its callbacks add. (The .NET SDK's default analyzers build the operation trees in every build anyway.)
    /// </summary>
    public const string Driver = "driver";

    public static readonly string[] Peers = { SecurityCodeScan, Sonar, NetAnalyzers };

    private Tool(string id, string display, string version)
    {
        Id = id;
        Display = display;
        Version = version;
    }

    public string Id { get; }

    public string Display { get; }

    public string Version { get; }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; private set; } = ImmutableArray<DiagnosticAnalyzer>.Empty;

    /// <summary>Rule ID to severity: security rules on as warnings, the tool's other rules off.</summary>
    public IReadOnlyDictionary<string, ReportDiagnostic>? Severities { get; private set; }

    public int SecurityRules { get; private set; }

    /// <summary>Why the tool's analyzers (or some of them) could not be loaded; empty when all loaded.</summary>
    public List<string> LoadErrors { get; } = new();

    public static string DisplayName(string id) => id switch
    {
        Hipaa => "HipaaAnalyzers",
        SecurityCodeScan => "SecurityCodeScan.VS2019",
        Sonar => "SonarAnalyzer.CSharp",
        NetAnalyzers => "Microsoft.CodeAnalysis.NetAnalyzers",
        Compiler => "compiler only",
        Driver => "analyzer driver, empty operation actions",
        _ => id,
    };

    public static Tool Load(string id)
    {
        switch (id)
        {
            case Hipaa:
            {
                var tool = new Tool(id, DisplayName(id), typeof(RuleIds).Assembly.GetName().Version?.ToString() ?? "?");
                tool.Analyzers = typeof(RuleIds).Assembly.GetTypes()
                    .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
                    .OrderBy(t => t.Name, StringComparer.Ordinal)
                    .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                    .ToImmutableArray();
                tool.SecurityRules = tool.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Count();
                return tool;
            }

            case SecurityCodeScan:
                return LoadPeer(id, PeerPackages.SecurityCodeScan, PeerPackages.SecurityCodeScanVersion,
                    new[] { Path.Combine("analyzers", "dotnet", "SecurityCodeScan.VS2019.dll") },
                    _ => true);
            case Sonar:
                // Sonar's categories read "Critical Vulnerability", "Major Security Hotspot", "Minor Code Smell", "Major Bug".
                return LoadPeer(id, PeerPackages.Sonar, PeerPackages.SonarVersion,
                    new[] { Path.Combine("analyzers", "SonarAnalyzer.CSharp.dll") },
                    d => d.Category.Contains("Vulnerability", StringComparison.OrdinalIgnoreCase) ||
                         d.Category.Contains("Security Hotspot", StringComparison.OrdinalIgnoreCase));
            case NetAnalyzers:
                // The CA2100, CA2300-CA2330, CA3xxx and CA5xxx rules: what AnalysisModeSecurity=All turns on.
                return LoadPeer(id, PeerPackages.NetAnalyzers, PeerPackages.NetAnalyzersVersion,
                    new[]
                    {
                        Path.Combine("analyzers", "dotnet", "cs", "Microsoft.CodeAnalysis.NetAnalyzers.dll"),
                        Path.Combine("analyzers", "dotnet", "cs", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"),
                    },
                    d => d.Category == "Security");
            case Compiler:
                return new Tool(id, DisplayName(id), string.Empty);
            case Driver:
                return new Tool(id, DisplayName(id), string.Empty) { Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NoRulesAnalyzer()) };
            default:
                throw new ArgumentException("Unknown tool " + id + "; one of: " + string.Join(", ", new[] { Hipaa }.Concat(Peers)));
        }
    }

    private static Tool LoadPeer(string id, string package, string version, string[] assemblies, Func<DiagnosticDescriptor, bool> isSecurityRule)
    {
        var tool = new Tool(id, DisplayName(id), version);
        var folder = Path.Combine(CorpusCompilation.NuGetPackageRoot, package.ToLowerInvariant(), version);
        var loader = new PeerAssemblyLoader();
        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var relative in assemblies)
        {
            var path = Path.Combine(folder, relative);
            if (!File.Exists(path))
            {
                tool.LoadErrors.Add($"{path} not found; restore tests/HipaaAnalyzers.Benchmarks (it downloads {package} {version}).");
                continue;
            }

            loader.AddDependencyLocation(path);
        }

        foreach (var relative in assemblies)
        {
            var path = Path.Combine(folder, relative);
            if (!File.Exists(path))
            {
                continue;
            }

            var reference = new AnalyzerFileReference(path, loader);
            reference.AnalyzerLoadFailed += (_, e) =>
                tool.LoadErrors.Add($"{Path.GetFileName(path)}: {e.ErrorCode}{(e.TypeName is null ? string.Empty : " in " + e.TypeName)}: {e.Message}");
            try
            {
                analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or TypeLoadException or ReflectionTypeLoadException)
            {
                tool.LoadErrors.Add($"{Path.GetFileName(path)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        tool.Analyzers = analyzers.ToImmutable();
        var severities = new Dictionary<string, ReportDiagnostic>(StringComparer.Ordinal);
        foreach (var analyzer in tool.Analyzers)
        {
            ImmutableArray<DiagnosticDescriptor> supported;
            try
            {
                supported = analyzer.SupportedDiagnostics;
            }
            catch (Exception ex)
            {
                tool.LoadErrors.Add($"{analyzer.GetType().Name}.SupportedDiagnostics threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            foreach (var descriptor in supported)
            {
                var security = isSecurityRule(descriptor);
                if (security || !severities.ContainsKey(descriptor.Id))
                {
                    severities[descriptor.Id] = security ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress;
                }
            }
        }

        tool.Severities = severities;
        tool.SecurityRules = severities.Count(s => s.Value == ReportDiagnostic.Warn);
        return tool;
    }

    /// <summary>
    /// Loads a peer's analyzer assemblies and their private dependencies from the package folder, and everything
    /// else (the compiler above all) from the benchmark's own load context: analyzers built against Roslyn 1.3, 3.8
    /// or 3.11 then bind to the 4.x compiler the benchmark runs, as they would in a current SDK.
    /// </summary>
    private sealed class PeerAssemblyLoader : AssemblyLoadContext, IAnalyzerAssemblyLoader
    {
        private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

        public PeerAssemblyLoader()
            : base("peer analyzers", isCollectible: false)
        {
        }

        public void AddDependencyLocation(string fullPath)
        {
            var folder = Path.GetDirectoryName(fullPath)!;
            foreach (var dll in Directory.EnumerateFiles(folder, "*.dll"))
            {
                _byName.TryAdd(Path.GetFileNameWithoutExtension(dll), dll);
            }
        }

        public Assembly LoadFromPath(string fullPath) => LoadFromAssemblyPath(fullPath);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name is { } name && _byName.TryGetValue(name, out var path) ? LoadFromAssemblyPath(path) : null;
    }
}

/// <summary>An analyzer whose actions do nothing, for <see cref="Tool.Driver"/>; created directly, never loaded by a compiler.</summary>
#pragma warning disable RS1001 // Deliberately without [DiagnosticAnalyzer], so no host would ever load it.
internal sealed class NoRulesAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001
{
#pragma warning disable RS2008 // Not a shipped rule: it never reports.
    private static readonly DiagnosticDescriptor Unused = new(
        "BENCH000", "Unused", "Unused", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);
#pragma warning restore RS2008

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Unused);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterOperationAction(_ => { }, OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.SimpleAssignment);
    }
}

/// <summary>The peers' package versions; the same as the PackageDownload items of the project file.</summary>
internal static class PeerPackages
{
    public const string SecurityCodeScan = "SecurityCodeScan.VS2019";
    public const string SecurityCodeScanVersion = "5.6.7";
    public const string Sonar = "SonarAnalyzer.CSharp";
    public const string SonarVersion = "10.36.0.15337";
    public const string NetAnalyzers = "Microsoft.CodeAnalysis.NetAnalyzers";
    public const string NetAnalyzersVersion = "10.0.401";
}
