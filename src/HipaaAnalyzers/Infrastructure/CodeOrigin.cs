using System;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// Where a symbol comes from, decided by its assembly so that the answer is the same whether another project of the
/// solution reaches the compiler as source (the IDE and hipaa-scan hand it over as a compilation) or as its reference
/// assembly (what <c>dotnet build</c> hands over):
/// <list type="bullet">
/// <item>declared in the compilation being analyzed: its syntax and method bodies can be read, and diagnostics can be
/// put on it. A referenced project's bodies are never read, even when the IDE could, because the build cannot;</item>
/// <item>the team's own code: declared in this compilation or in a referenced assembly that is not a framework or a
/// well-known package (a Domain project with the Patient class). Its names are judged like this compilation's.</item>
/// </list>
/// </summary>
internal static class CodeOrigin
{
    /// <summary>Assemblies whose members' names say nothing about the team's PHI (Bogus.Person is fake data).</summary>
    private static readonly string[] ThirdPartyAssemblyPrefixes =
    {
        "System", "Microsoft", "mscorlib", "netstandard", "Windows", "Serilog", "NLog", "log4net", "Newtonsoft", "Npgsql",
        "Azure", "AWSSDK", "Google", "Grpc", "Polly", "xunit", "NUnit", "Moq", "NSubstitute", "Castle", "AutoMapper", "MediatR",
        "FluentValidation", "FluentAssertions", "Dapper", "StackExchange", "Swashbuckle", "Humanizer", "Bogus", "Spectre",
        "BenchmarkDotNet", "Hangfire", "Quartz", "MassTransit", "RabbitMQ", "Confluent", "OpenTelemetry", "Elastic", "Nest",
        "MongoDB", "EntityFramework", "Pomelo", "Oracle", "MySql", "MySqlConnector", "Duende", "IdentityServer4", "IdentityModel",
        "Refit", "RestSharp", "Flurl", "Scrutor", "Autofac", "SimpleInjector", "Ninject", "Dynamitey", "ImpromptuInterface",
        "Sentry", "Mapster", "Ardalis", "Asp.Versioning", "Yarp", "Ocelot", "Hl7.FhirPath", "Hl7.Fhir",
    };

    /// <summary>Declared in <paramref name="compilation"/> itself, not in a referenced project or library.</summary>
    public static bool IsDeclaredIn(ISymbol? symbol, Compilation compilation) => IsDeclaredIn(symbol, compilation.Assembly);

    /// <summary>Declared in the assembly <paramref name="own"/> that is being compiled.</summary>
    public static bool IsDeclaredIn(ISymbol? symbol, IAssemblySymbol own) =>
        symbol is not null && SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, own);

    /// <summary>Declared in <paramref name="compilation"/> or in one of the team's own assemblies.</summary>
    public static bool IsTeamCode(ISymbol? symbol, Compilation compilation) => IsTeamCode(symbol, compilation.Assembly);

    /// <summary>Declared in the assembly <paramref name="own"/> that is being compiled or in one of the team's own assemblies.</summary>
    public static bool IsTeamCode(ISymbol? symbol, IAssemblySymbol own) =>
        symbol is not null && (IsDeclaredIn(symbol, own) || IsTeamAssembly(symbol.ContainingAssembly));

    /// <summary>Marked <c>[CompilerGenerated]</c>: how a record's ToString or an auto-property's getter looks in metadata.</summary>
    public static bool IsCompilerGenerated(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "CompilerGeneratedAttribute" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An auto-property, the same from source and from a reference assembly: a compiler-generated backing field in
    /// source, a getter marked <c>[CompilerGenerated]</c> in metadata (whose backing field a reference assembly leaves out).
    /// </summary>
    public static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return property.GetMethod is { } getter && IsCompilerGenerated(getter);
    }

    /// <summary>An assembly that is not a framework or well-known package, judged by its name alone.</summary>
    public static bool IsTeamAssembly(IAssemblySymbol? assembly)
    {
        var name = assembly?.Name;
        if (name is null)
        {
            return false;
        }

        foreach (var prefix in ThirdPartyAssemblyPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) &&
                (name.Length == prefix.Length || name[prefix.Length] == '.'))
            {
                return false;
            }
        }

        return true;
    }
}
