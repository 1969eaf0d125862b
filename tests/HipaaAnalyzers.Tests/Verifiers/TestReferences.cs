using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>What test code compiles against: .NET 10, ASP.NET Core, Serilog, NLog, log4net, Newtonsoft.Json, EF Core and the runtime library.</summary>
internal static class TestReferences
{
    /// <summary>The assemblies <see cref="Net10WithLoggers"/> must resolve to, one per package it adds.</summary>
    private static readonly string[] ExpectedAssemblies =
    {
        "System.Runtime", "Microsoft.AspNetCore.Http.Abstractions", "Serilog", "NLog", "log4net", "Newtonsoft.Json", "Microsoft.EntityFrameworkCore",
    };

    private static readonly ReferenceAssemblies Unresolved =
        new ReferenceAssemblies("net10.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.10"), Path.Combine("ref", "net10.0"))
            .AddPackages(ImmutableArray.Create(
                new PackageIdentity("Microsoft.AspNetCore.App.Ref", "10.0.10"),
                new PackageIdentity("Serilog", "4.2.0"),
                new PackageIdentity("NLog", "5.5.1"),
                new PackageIdentity("log4net", "3.5.0"),
                new PackageIdentity("Newtonsoft.Json", "13.0.1"),
                new PackageIdentity("Microsoft.EntityFrameworkCore", "10.0.4")));

    // ReferenceAssemblies downloads its packages into a cache under the temp folder the first time they are resolved, and
    // then keeps the result. Tests that run in parallel on a cold cache all asked for them at once, and one could compile
    // against a half-written package (CS0246 for NLog). So they are resolved here, once, before any test gets the
    // instance: the first caller resolves while the others wait, and every later resolution returns the kept result.
    private static readonly Lazy<ReferenceAssemblies> Resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>.NET 10 with ASP.NET Core and the logging, JSON and EF Core packages, already resolved.</summary>
    public static ReferenceAssemblies Net10WithLoggers => Resolved.Value;

    public static readonly MetadataReference Runtime =
        MetadataReference.CreateFromFile(typeof(HipaaAnalyzers.Runtime.Phi).Assembly.Location);

    /// <summary>The ASP.NET Core runtime library, for the sample apps (rule tests declare its types in source instead).</summary>
    public static readonly MetadataReference RuntimeAspNetCore =
        MetadataReference.CreateFromFile(typeof(HipaaAnalyzers.Runtime.AspNetCore.AuditPhiAccessAttribute).Assembly.Location);

    /// <summary>The EF Core runtime library, for the sample apps.</summary>
    public static readonly MetadataReference RuntimeEntityFrameworkCore =
        MetadataReference.CreateFromFile(typeof(HipaaAnalyzers.Runtime.EntityFrameworkCore.FieldEncryptionInterceptor).Assembly.Location);

    /// <summary>xunit.core with the attribute tests use, as the xunit package adds it: what makes a project a test project.</summary>
    public static Task<MetadataReference> XunitCoreAsync() =>
        AssemblyNamedAsync("xunit.core", "namespace Xunit { public class FactAttribute : System.Attribute { } }");

    /// <summary>
    /// A small assembly with this name built from <paramref name="source"/>, for code that is recognized by the names of
    /// the assemblies it references (a test framework or mocking library) without needing the real package.
    /// </summary>
    public static async Task<MetadataReference> AssemblyNamedAsync(string assemblyName, string source = "namespace Fake { public sealed class Marker { } }")
    {
        var references = await Net10WithLoggers.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException($"The test assembly '{assemblyName}' does not compile: " +
                string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        // Under the file name a package puts it at, as every reference a build or the IDE passes has one.
        return MetadataReference.CreateFromImage(image.ToArray(), filePath: Path.Combine(Path.GetTempPath(), "packages", assemblyName + ".dll"));
    }

    private static ReferenceAssemblies Resolve()
    {
        // On the thread pool: no test framework synchronization context for the download's continuations to wait for.
        var references = Task.Run(() => Unresolved.ResolveAsync(LanguageNames.CSharp, CancellationToken.None)).GetAwaiter().GetResult();
        var names = references
            .Select(r => Path.GetFileNameWithoutExtension((r as PortableExecutableReference)?.FilePath ?? r.Display ?? string.Empty))
            .ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = ExpectedAssemblies.Where(a => !names.Contains(a)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The test reference packages did not resolve completely (missing {string.Join(", ", missing)}); " +
                $"delete {Path.Combine(Path.GetTempPath(), "test-packages")} and run the tests again.");
        }

        return Unresolved;
    }
}
