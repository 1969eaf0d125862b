using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.Configuration;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using static HipaaAnalyzers.Configuration.FrameworkLoggingFixData;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA006: framework logging switched on in a way that writes PHI: EF Core's <c>EnableSensitiveDataLogging()</c> and
/// <c>EnableDetailedErrors()</c>, and ASP.NET Core's <c>UseDeveloperExceptionPage()</c>, outside a development guard
/// (see <see cref="DevelopmentGuards"/>); HTTP logging whose <c>LoggingFields</c> include request or response bodies or
/// the query string (<c>AddHttpLogging</c> options, <c>WithHttpLogging</c>, <c>[HttpLogging]</c>); W3C logging of the
/// query; and, in appsettings*.json other than the development file, a sensitive-data-logging switch set to true or EF
/// Core's command log category enabled at Information or below in an app that turns sensitive data logging on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA006FrameworkLoggingCapturesPhiAnalyzer : DiagnosticAnalyzer
{
    private const string HttpLoggingNamespace = "Microsoft.AspNetCore.HttpLogging";

    /// <summary>Log categories under which EF Core writes SQL commands (with parameter values when sensitive data logging is on).</summary>
    private static readonly string[] CommandCategories =
    {
        "Microsoft.EntityFrameworkCore.Database.Command", "Microsoft.EntityFrameworkCore.Database", "Microsoft.EntityFrameworkCore",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.FrameworkLoggingCapturesPhi);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;

            // Only the references' names here: a type lookup at compilation start would build the declaration table of
            // every file before the edited one is bound (see docs/performance.md), so the types are resolved on first use.
            var usesEfCore = References(compilation, "Microsoft.EntityFrameworkCore");
            var enablesSensitiveLogging = new Lazy<bool>(
                () => EnablesSensitiveDataLogging(compilation, start.CancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterAdditionalFileAction(file => AnalyzeSettingsFile(file, usesEfCore, enablesSensitiveLogging));
            if (!usesEfCore && !References(compilation, "Microsoft.AspNetCore.Diagnostics") && !References(compilation, "Microsoft.AspNetCore.HttpLogging"))
            {
                return;
            }

            var known = new Lazy<KnownTypes>(() => new KnownTypes(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, known), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, known), OperationKind.SimpleAssignment, OperationKind.CompoundAssignment);
            start.RegisterSyntaxNodeAction(c => AnalyzeAttribute(c, known), SyntaxKind.Attribute);
        });
    }

    private static bool References(Compilation compilation, string assemblyName) => ReferencedAssemblies.Contains(compilation, assemblyName);

    /// <summary>The framework types the rule matches, resolved on the first call that could be one of them.</summary>
    private sealed class KnownTypes
    {
        public KnownTypes(Compilation compilation)
        {
            DbOptionsBuilder = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.DbContextOptionsBuilder");
            DeveloperPage = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.DeveloperExceptionPageExtensions");
            HttpFields = HttpFields.Create(compilation);
        }

        public INamedTypeSymbol? DbOptionsBuilder { get; }

        public INamedTypeSymbol? DeveloperPage { get; }

        public HttpFields? HttpFields { get; }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Lazy<KnownTypes> known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name is not ("EnableSensitiveDataLogging" or "EnableDetailedErrors" or "UseDeveloperExceptionPage" or "WithHttpLogging"))
        {
            return;
        }

        var dbOptionsBuilder = known.Value.DbOptionsBuilder;
        var developerPage = known.Value.DeveloperPage;
        var httpFields = known.Value.HttpFields;
        switch (method.Name)
        {
            case "EnableSensitiveDataLogging" or "EnableDetailedErrors" when dbOptionsBuilder is not null && DerivesFrom(method.ContainingType, dbOptionsBuilder):
                // EnableSensitiveDataLogging(false), or a flag read from configuration or the environment.
                if (invocation.Arguments.Length == 1 && invocation.Arguments[0].ArgumentKind != ArgumentKind.DefaultValue &&
                    invocation.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: true })
                {
                    return;
                }

                if (!DevelopmentGuards.IsGuarded(invocation.Syntax, context.ContainingSymbol))
                {
                    var what = method.Name == "EnableSensitiveDataLogging"
                        ? "EF Core then writes every parameter value (patients' names, identifiers, diagnoses) to the log"
                        : "EF Core then puts the values it reads into exception messages, which reach the log";
                    Report(context, invocation, $"'{method.Name}()' is called outside a development check: {what}", GuardKind);
                }

                break;
            case "UseDeveloperExceptionPage" when developerPage is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, developerPage):
                if (!DevelopmentGuards.IsGuarded(invocation.Syntax, context.ContainingSymbol))
                {
                    Report(context, invocation,
                        "'UseDeveloperExceptionPage()' is called outside a development check: every unhandled exception shows its message, " +
                        "stack trace, query string, cookies and headers, with the patient data in them, to whoever sent the request", GuardKind);
                }

                break;
            case "WithHttpLogging" when httpFields is not null:
                foreach (var argument in invocation.Arguments)
                {
                    if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, httpFields.HttpType) &&
                        argument.Value.ConstantValue is { HasValue: true, Value: { } value } &&
                        httpFields.DescribeHttp(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)) is { } included &&
                        !DevelopmentGuards.IsGuarded(invocation.Syntax, context.ContainingSymbol))
                    {
                        Report(context, argument.Value, $"HTTP logging of this endpoint includes {included}: every request's patient data in them is written to the log", HttpFieldsKind);
                    }
                }

                break;
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, Lazy<KnownTypes> known)
    {
        var assignment = (IAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "LoggingFields" } target ||
            known.Value.HttpFields is not { } fields ||
            assignment.Value.ConstantValue is not { HasValue: true, Value: { } value } ||
            assignment is ICompoundAssignmentOperation { OperatorKind: not BinaryOperatorKind.Or })
        {
            return;
        }

        var bits = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        string? message = null;
        var kind = HttpFieldsKind;
        if (SymbolEqualityComparer.Default.Equals(target.Property.Type, fields.HttpType) && fields.DescribeHttp(bits) is { } http)
        {
            message = $"HTTP logging includes {http}: every request's patient data in them is written to the log";
        }
        else if (fields.W3CType is not null && SymbolEqualityComparer.Default.Equals(target.Property.Type, fields.W3CType) && fields.IncludesW3CQuery(bits))
        {
            message = "W3C logging includes the query string: patient identifiers and search terms in URLs are written to the log files";
            kind = W3CFieldsKind;
        }

        if (message is not null && !DevelopmentGuards.IsGuarded(assignment.Syntax, context.ContainingSymbol))
        {
            Report(context, assignment.Value, message, kind);
        }
    }

    /// <summary>
    /// <c>[HttpLogging(HttpLoggingFields.All)]</c> on a controller or action. A syntax action, so only attributes
    /// whose name says HttpLogging are bound: every other attribute costs a string comparison.
    /// </summary>
    private static void AnalyzeAttribute(SyntaxNodeAnalysisContext context, Lazy<KnownTypes> known)
    {
        var attribute = (AttributeSyntax)context.Node;
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
        if (name is not ("HttpLogging" or "HttpLoggingAttribute") || attribute.ArgumentList is not { Arguments.Count: > 0 } arguments ||
            known.Value.HttpFields is not { } fields)
        {
            return;
        }

        var value = context.SemanticModel.GetConstantValue(arguments.Arguments[0].Expression, context.CancellationToken);
        var type = context.SemanticModel.GetTypeInfo(arguments.Arguments[0].Expression, context.CancellationToken).Type;
        if (value is { HasValue: true, Value: { } bits } && SymbolEqualityComparer.Default.Equals(type, fields.HttpType) &&
            fields.DescribeHttp(Convert.ToInt64(bits, System.Globalization.CultureInfo.InvariantCulture)) is { } included)
        {
            var target = attribute.Parent?.Parent switch
            {
                BaseTypeDeclarationSyntax typeDeclaration => typeDeclaration.Identifier.ValueText,
                MethodDeclarationSyntax method => method.Identifier.ValueText,
                _ => "this endpoint",
            };
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.FrameworkLoggingCapturesPhi, arguments.Arguments[0].Expression.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, HttpFieldsKind),
                $"HTTP logging of '{target}' includes {included}: every request's patient data in them is written to the log"));
        }
    }

    private static void AnalyzeSettingsFile(AdditionalFileAnalysisContext context, bool usesEfCore, Lazy<bool> enablesSensitiveLogging)
    {
        var file = SettingsFile.For(context.AdditionalFile, context.CancellationToken);
        if (file is null || file.Error is not null || file.IsDevelopment || file.Kind != SettingsFileKind.Json)
        {
            return;
        }

        foreach (var entry in file.Entries)
        {
            var name = entry.Name;
            if (IsSensitiveLoggingSwitch(name) && entry.Value.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.FrameworkLoggingCapturesPhi, file.LocationOf(entry.Span),
                    $"'{entry.Key}' turns on sensitive data logging in {file.FileName}, a file every environment reads: EF Core then writes every parameter value to the log"));
            }
            else if (usesEfCore && entry.Section.Equals("LogLevel", StringComparison.OrdinalIgnoreCase) &&
                     Array.IndexOf(CommandCategories, name) >= 0 &&
                     entry.Value.ToLowerInvariant() is "information" or "debug" or "trace" &&
                     enablesSensitiveLogging.Value)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.FrameworkLoggingCapturesPhi, file.LocationOf(entry.Span),
                    $"'{entry.Key}' logs every SQL command at {entry.Value} in {file.FileName}, and the app turns on EF Core's sensitive data " +
                    "logging, so the commands' parameter values (patients' data) are written to the log"));
            }
        }
    }

    /// <summary>EnableSensitiveDataLogging, SensitiveDataLogging, EnableSensitiveLogging: a switch the app reads into EF Core.</summary>
    private static bool IsSensitiveLoggingSwitch(string name)
    {
        var words = Phi.IdentifierWords.Split(name);
        return Array.IndexOf(words, "sensitive") >= 0 && Array.IndexOf(words, "logging") >= 0;
    }

    /// <summary>
    /// Whether the compilation's code can turn on <c>EnableSensitiveDataLogging</c> outside development: a call that no
    /// development check guards (<c>IsDevelopment()</c>, <c>#if DEBUG</c>, a <c>[Conditional("DEBUG")]</c> method), with
    /// no argument, <c>true</c>, or a flag the app reads (its value may be true in production), but not an environment
    /// check (<c>EnableSensitiveDataLogging(env.IsDevelopment())</c>, what HIPAA006's fix writes). Then EF Core's command log
    /// holds parameter values wherever it is on. Read once per compilation, and only when a settings file enables the
    /// command log: the text of each file is searched for the name, and only the calls found are looked at.
    /// </summary>
    private static bool EnablesSensitiveDataLogging(Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (SourceTexts.Of(tree, cancellationToken).IndexOf("EnableSensitiveDataLogging", StringComparison.Ordinal) < 0)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var invocation in tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                // EnableSensitiveDataLogging(false), or on only in development: EnableSensitiveDataLogging(env.IsDevelopment()),
                // as HIPAA006's fix writes it. A configuration flag as the argument counts as on: a settings file may set it.
                if (invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "EnableSensitiveDataLogging" } ||
                    invocation.ArgumentList.Arguments is { Count: 1 } arguments &&
                    (arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression) || DevelopmentGuards.IsDevelopmentEnvironmentCheck(arguments[0].Expression)))
                {
                    continue;
                }

#pragma warning disable RS1030 // Only the enclosing method is asked for ([Conditional("DEBUG")]), once per call found.
                model ??= compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                if (!DevelopmentGuards.IsGuarded(invocation, model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, IOperation operation, string message, string kind) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.FrameworkLoggingCapturesPhi, operation.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind), message));

    private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The flags of <c>HttpLoggingFields</c> and <c>W3CLoggingFields</c> that carry request data, read from the referenced enums.</summary>
    private sealed class HttpFields
    {
        private readonly List<(string Name, long Bits)> _httpFlags;
        private readonly long _httpAll;
        private readonly long _w3cQuery;

        private HttpFields(INamedTypeSymbol httpType, INamedTypeSymbol? w3cType)
        {
            HttpType = httpType;
            W3CType = w3cType;
            _httpFlags = new List<(string, long)>();
            foreach (var name in new[] { "RequestBody", "ResponseBody", "RequestQuery" })
            {
                if (Value(httpType, name) is { } bits and not 0)
                {
                    _httpFlags.Add((name, bits));
                }
            }

            _httpAll = Value(httpType, "All") ?? -1;
            _w3cQuery = w3cType is null ? 0 : Value(w3cType, "UriQuery") ?? 0;
        }

        public INamedTypeSymbol HttpType { get; }

        public INamedTypeSymbol? W3CType { get; }

        public static HttpFields? Create(Compilation compilation) =>
            compilation.GetTypeByMetadataName(HttpLoggingNamespace + ".HttpLoggingFields") is { } http
                ? new HttpFields(http, compilation.GetTypeByMetadataName(HttpLoggingNamespace + ".W3CLoggingFields"))
                : null;

        /// <summary>"the request body and the query string ('HttpLoggingFields.All')", or null when no data-carrying field is included.</summary>
        public string? DescribeHttp(long bits)
        {
            var names = new List<string>();
            foreach (var (name, flag) in _httpFlags)
            {
                if ((bits & flag) == flag)
                {
                    names.Add(name switch { "RequestBody" => "the request body", "ResponseBody" => "the response body", _ => "the query string" });
                }
            }

            if (names.Count == 0)
            {
                return null;
            }

            var text = names.Count == 1 ? names[0] : string.Join(", ", names.GetRange(0, names.Count - 1)) + " and " + names[names.Count - 1];
            return bits == _httpAll ? text + " ('HttpLoggingFields.All')" : text;
        }

        public bool IncludesW3CQuery(long bits) => _w3cQuery != 0 && (bits & _w3cQuery) == _w3cQuery;

        private static long? Value(INamedTypeSymbol type, string name)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: { } value })
                {
                    return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return null;
        }
    }
}
