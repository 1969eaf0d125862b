using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

using HipaaAnalyzers.Infrastructure;

namespace HipaaAnalyzers.Secrets;

/// <summary>
/// Test projects, where the secrets rules (HIPAA201, HIPAA202, HIPAA203) stay quiet unless
/// <see cref="SecretsOptions.InTestProjectsKey"/> is <c>true</c>: tests hold throwaway passwords, keys of test vectors and
/// connection strings of test containers. A compilation is a test project when the MSBuild property
/// <c>IsTestProject</c> is <c>true</c> (the package makes it visible to the compiler) or when it references a test
/// framework or mocking library.
/// </summary>
internal static class TestProjects
{
    /// <summary>The global option MSBuild writes for <c>&lt;CompilerVisibleProperty Include="IsTestProject" /&gt;</c>.</summary>
    public const string IsTestProjectProperty = "build_property.IsTestProject";

    /// <summary>Assemblies only test code references: xUnit, NUnit, MSTest, Moq, NSubstitute, FakeItEasy.</summary>
    private static readonly string[] TestAssemblies =
    {
        "xunit.core", "xunit.assert", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "MSTest.TestFramework", "Moq", "NSubstitute", "FakeItEasy",
    };

    /// <summary>xUnit v3 splits into xunit.v3.core, xunit.v3.assert ...</summary>
    private const string XunitV3Prefix = "xunit.v3.";

    /// <summary>
    /// Whether the secrets rules should look at this compilation: always outside test projects, and in test projects
    /// when the option says so. Called once per compilation, from a compilation start action.
    /// </summary>
    public static bool SecretsRulesApply(Compilation compilation, AnalyzerOptions options)
    {
        var globalOptions = options.AnalyzerConfigOptionsProvider.GlobalOptions;
        return SecretsOptions.Read(globalOptions).InTestProjects ||
               !Verdicts.GetValue(compilation, c => new StrongBox<bool>(IsTestProject(c, globalOptions))).Value;
    }

    /// <summary>One answer per compilation for the three secrets rules: the references are looked through once.</summary>
    private static readonly ConditionalWeakTable<Compilation, StrongBox<bool>> Verdicts = new();

    /// <summary>Whether <c>IsTestProject</c> is <c>true</c> or the compilation references a test framework or mocking library.</summary>
    public static bool IsTestProject(Compilation compilation, AnalyzerConfigOptions globalOptions)
    {
        if (globalOptions.TryGetValue(IsTestProjectProperty, out var value) &&
            string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var name in ReferencedAssemblies.NamesOf(compilation))
        {
            if (IsTestAssembly(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Code that only <c>dotnet ef</c> runs at design time: a type implementing EF Core's
    /// <c>IDesignTimeDbContextFactory&lt;T&gt;</c>, whose connection string points the migrations tool at a local
    /// development database. The application never runs it, so its credentials are not the application's.
    /// </summary>
    public static bool IsDesignTimeOnly(ISymbol? containingSymbol)
    {
        for (var type = containingSymbol as INamedTypeSymbol ?? containingSymbol?.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (var implemented in Infrastructure.Interfaces.Of(type))
            {
                if (implemented.Name == "IDesignTimeDbContextFactory" &&
                    Infrastructure.TypeNames.IsInNamespace(implemented.ContainingNamespace, "Microsoft.EntityFrameworkCore.Design"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsTestAssembly(string name)
    {
        if (name.StartsWith(XunitV3Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var test in TestAssemblies)
        {
            if (string.Equals(name, test, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
