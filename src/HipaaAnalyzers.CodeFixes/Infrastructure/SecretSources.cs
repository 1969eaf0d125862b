using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// Where the secrets fixes (HIPAA201-203) read a key or password from at run time: the application's
/// <c>IConfiguration</c> when one is in scope where the secret is used (a parameter, a local such as
/// <c>builder.Configuration</c>, an injected field), otherwise the environment variable that ASP.NET Core's
/// configuration maps to the same key (<c>ConnectionStrings:Default</c> is <c>ConnectionStrings__Default</c>).
/// A missing value throws <see cref="System.InvalidOperationException"/> naming the setting, never a value.
/// </summary>
internal static class SecretSources
{
    private const string ConfigurationInterface = "Microsoft.Extensions.Configuration.IConfiguration";

    /// <summary>How the secret is read: which configuration object, or the environment.</summary>
    public sealed class Source
    {
        public Source(string? configuration, bool hasGetConnectionString)
        {
            Configuration = configuration;
            HasGetConnectionString = hasGetConnectionString;
        }

        /// <summary>The expression of an <c>IConfiguration</c> ("configuration", "builder.Configuration"), or null for the environment.</summary>
        public string? Configuration { get; }

        public bool HasGetConnectionString { get; }

        public string Describe(string key) =>
            Configuration is null ? "the environment variable '" + ToEnvironmentVariable(key) + "'" : "configuration '" + key + "'";
    }

    public static string ToEnvironmentVariable(string key) => key.Replace(":", "__");

    /// <summary>Decides the source for a secret used at <paramref name="node"/>.</summary>
    public static Source Find(SemanticModel model, SyntaxNode node)
    {
        var configuration = FindConfiguration(model, node, out var configurationType);
        bool getConnectionString = false;
        if (configuration is not null && configurationType is not null)
        {
            getConnectionString = !model.LookupSymbols(node.SpanStart, configurationType, "GetConnectionString", includeReducedExtensionMethods: true).IsEmpty;
        }

        return new Source(configuration, getConnectionString);
    }

    /// <summary>
    /// <c>configuration["Keys:Aes"] ?? throw new InvalidOperationException(...)</c> or
    /// <c>Environment.GetEnvironmentVariable("Keys__Aes") ?? throw ...</c>: a string, never null.
    /// </summary>
    public static ExpressionSyntax Text(SemanticModel model, SyntaxNode node, Source source, string key)
    {
        string read;
        string message;
        if (source.Configuration is { } configuration)
        {
            const string prefix = "ConnectionStrings:";
            read = source.HasGetConnectionString && key.StartsWith(prefix, System.StringComparison.Ordinal)
                ? configuration + ".GetConnectionString(" + Quote(key.Substring(prefix.Length)) + ")"
                : configuration + "[" + Quote(key) + "]";
            message = "The configuration value '" + key + "' is not set.";
        }
        else
        {
            read = TypeName(model, node, "System", "Environment") + ".GetEnvironmentVariable(" + Quote(ToEnvironmentVariable(key)) + ")";
            message = "The environment variable '" + ToEnvironmentVariable(key) + "' is not set.";
        }

        var text = read + " ?? throw new " + TypeName(model, node, "System", "InvalidOperationException") + "(" + Quote(message) + ")";
        return SyntaxFactory.ParseExpression(text);
    }

    /// <summary><see cref="Text"/> in parentheses, marked so the simplifier drops them where they are not needed.</summary>
    public static ExpressionSyntax ParenthesizedText(SemanticModel model, SyntaxNode node, Source source, string key) =>
        SyntaxFactory.ParenthesizedExpression(Text(model, node, source, key)).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><c>Convert.FromBase64String(...)</c> around <see cref="Text"/>: key bytes stored as base64.</summary>
    public static ExpressionSyntax Base64Bytes(SemanticModel model, SyntaxNode node, Source source, string key) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.ParseExpression(TypeName(model, node, "System", "Convert") + ".FromBase64String"),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(Text(model, node, source, key)))));

    /// <summary>The short name of a type when it means that type at <paramref name="node"/>, else its namespace-qualified name.</summary>
    public static string TypeName(SemanticModel model, SyntaxNode node, string ns, string name)
    {
        var symbols = model.LookupNamespacesAndTypes(node.SpanStart, name: name);
        if (symbols.Length == 1 && symbols[0] is INamedTypeSymbol type && type.ContainingNamespace?.ToDisplayString() == ns)
        {
            return name;
        }

        var nsSymbols = model.LookupNamespacesAndTypes(node.SpanStart, name: ns.Split('.')[0]);
        return (nsSymbols.Length == 1 && nsSymbols[0] is INamespaceSymbol { ContainingNamespace.IsGlobalNamespace: true } ? "" : "global::") + ns + "." + name;
    }

    private static string Quote(string text) => SyntaxFactory.Literal(text).Text;

    private static string? FindConfiguration(SemanticModel model, SyntaxNode node, out ITypeSymbol? configurationType)
    {
        configurationType = null;
        var iconfiguration = model.Compilation.GetTypeByMetadataName(ConfigurationInterface);
        if (iconfiguration is null || InInitializerOrConstant(node))
        {
            return null;
        }

        bool staticContext = IsStaticContext(model.GetEnclosingSymbol(node.SpanStart));
        string? best = null;
        int bestRank = int.MaxValue;
        foreach (var symbol in model.LookupSymbols(node.SpanStart))
        {
            ITypeSymbol? type;
            bool member;
            switch (symbol)
            {
                case ILocalSymbol local when DeclaredBefore(local, node):
                    type = local.Type;
                    member = false;
                    break;
                case IParameterSymbol parameter:
                    type = parameter.Type;
                    member = false;
                    break;
                case IFieldSymbol field when !field.IsImplicitlyDeclared && (field.IsStatic || !staticContext):
                    type = field.Type;
                    member = true;
                    break;
                case IPropertySymbol { IsIndexer: false, GetMethod: not null } property when property.IsStatic || !staticContext:
                    type = property.Type;
                    member = true;
                    break;
                default:
                    continue;
            }

            if (type is null)
            {
                continue;
            }

            int rank;
            string expression;
            if (IsConfiguration(type, iconfiguration))
            {
                rank = member ? 2 : 0;
                expression = symbol.Name;
                configurationType = type;
            }
            else if (ConfigurationProperty(type, iconfiguration) is { } property)
            {
                rank = member ? 3 : 1;
                expression = symbol.Name + "." + property.Name;
                if (rank < bestRank)
                {
                    configurationType = property.Type;
                }
            }
            else
            {
                continue;
            }

            if (rank < bestRank)
            {
                bestRank = rank;
                best = expression;
                if (rank == 0)
                {
                    configurationType = type;
                }
            }
        }

        return best;
    }

    private static bool IsConfiguration(ITypeSymbol type, INamedTypeSymbol iconfiguration)
    {
        if (SymbolEqualityComparer.Default.Equals(type, iconfiguration))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, iconfiguration))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>WebApplicationBuilder.Configuration, HostBuilderContext.Configuration ...</summary>
    private static IPropertySymbol? ConfigurationProperty(ITypeSymbol type, INamedTypeSymbol iconfiguration)
    {
        if (type.SpecialType != SpecialType.None || type.TypeKind is not (TypeKind.Class or TypeKind.Interface))
        {
            return null;
        }

        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers("Configuration"))
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: not null, DeclaredAccessibility: Accessibility.Public } property &&
                    IsConfiguration(property.Type, iconfiguration))
                {
                    return property;
                }
            }
        }

        return null;
    }

    private static bool DeclaredBefore(ILocalSymbol local, SyntaxNode node)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            if (declaration.SyntaxTree != node.SyntaxTree || declaration.Span.End > node.SpanStart || declaration.Span.Contains(node.Span))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsStaticContext(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } inner)
        {
            if (inner.IsStatic)
            {
                return true;
            }

            symbol = inner.ContainingSymbol;
        }

        return symbol is null || symbol.IsStatic;
    }

    /// <summary>Field and property initializers, and constants, cannot read an instance's configuration.</summary>
    private static bool InInitializerOrConstant(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case FieldDeclarationSyntax:
                case PropertyDeclarationSyntax { Initializer: not null } property when property.Initializer.Span.Contains(node.Span):
                case LocalDeclarationStatementSyntax { IsConst: true }:
                    return true;
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}
