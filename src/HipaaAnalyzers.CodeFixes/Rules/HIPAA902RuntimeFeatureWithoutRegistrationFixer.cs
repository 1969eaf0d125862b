using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA902: registers what the endpoints use, in the application's startup (before <c>builder.Build()</c>, or at the
/// end of <c>ConfigureServices</c>):
/// <list type="bullet">
/// <item>"HIPAA902.RegisterAudit": <c>services.AddHipaaAudit()</c>, after the file audit sink
/// (<c>AddHipaaAuditFileSink(configuration["Audit:Path"] ?? "audit/audit.jsonl")</c>) when no audit sink is registered;</item>
/// <item>"HIPAA902.DefinePolicies": <c>services.AddHipaaAccessPolicies(...)</c> with one role per permission that the
/// endpoints ask for and nothing defines, each granted to a role of the same name that nobody holds yet: the app starts,
/// and denies those endpoints (403) until the team grants the permissions to its real roles.</item>
/// </list>
/// One fix registers the feature for the whole project, so Fix All adds it once. Offered when the project references
/// the runtime's ASP.NET Core package and has a startup the fix can find.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA902RuntimeFeatureWithoutRegistrationFixer)), Shared]
public sealed class HIPAA902RuntimeFeatureWithoutRegistrationFixer : CodeFixProvider
{
    public const string AuditKey = RuleIds.RuntimeFeatureWithoutRegistration + ".RegisterAudit";
    public const string PoliciesKey = RuleIds.RuntimeFeatureWithoutRegistration + ".DefinePolicies";
    public const string EncryptionKey = RuleIds.RuntimeFeatureWithoutRegistration + ".EncryptColumns";

    private const string EntityFrameworkCoreRuntime = "HipaaAnalyzers.Runtime.EntityFrameworkCore";

    private const string AspNetCoreRuntime = "HipaaAnalyzers.Runtime.AspNetCore";
    private const string Runtime = "HipaaAnalyzers.Runtime";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.RuntimeFeatureWithoutRegistration);

    public override FixAllProvider GetFixAllProvider() => RegisterAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var project = context.Document.Project;
        foreach (var diagnostic in context.Diagnostics)
        {
            var kind = KindOf(diagnostic);
            if (await ChangesAsync(project, kind, context.CancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            var solution = project.Solution;
            var (title, key) = kind switch
            {
                HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.AuditKind => ("Register the audit at startup: services.AddHipaaAudit()", AuditKey),
                HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.EncryptionKind => ("Encrypt the [Encrypted] columns: UseFieldEncryption in AddDbContext", EncryptionKey),
                _ => ("Define the permission policies at startup: services.AddHipaaAccessPolicies(...)", PoliciesKey),
            };
            context.RegisterCodeFix(CodeAction.Create(title, token => FixAsync(solution, project.Id, kind, token), key), diagnostic);
        }
    }

    private static string KindOf(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.KindProperty, out var kind) && kind is not null
            ? kind
            : HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.PolicyKind;

    private static async Task<Solution> FixAsync(Solution solution, ProjectId projectId, string kind, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(projectId);
        if (project is null || await ChangesAsync(project, kind, cancellationToken).ConfigureAwait(false) is not { } change)
        {
            return solution;
        }

        return solution.WithDocumentSyntaxRoot(change.Document.Id, change.Root);
    }

    private sealed class Change
    {
        public Change(Document document, SyntaxNode root)
        {
            Document = document;
            Root = root;
        }

        public Document Document { get; }

        public SyntaxNode Root { get; }
    }

    /// <summary>The startup document with the registration added, or null when the fix cannot be made.</summary>
    private static async Task<Change?> ChangesAsync(Project project, string kind, CancellationToken cancellationToken)
    {
        bool audit = kind == HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.AuditKind;
        bool encryption = kind == HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.EncryptionKind;
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null ||
            !(encryption
                ? HasMethod(compilation, EntityFrameworkCoreRuntime, "UseFieldEncryption") && HasMethod(compilation, EntityFrameworkCoreRuntime, "AddHipaaEntityFrameworkCoreEncryption") &&
                  HasMethod(compilation, Runtime, "AddHipaaEncryption")
                : HasMethod(compilation, AspNetCoreRuntime, audit ? "AddHipaaAudit" : "AddHipaaAccessPolicies")))
        {
            return null;
        }

        var registrations = RuntimeRegistrations.Compute(compilation, cancellationToken);
        var startup = await StartupAsync(project, compilation, cancellationToken).ConfigureAwait(false);
        if (startup is null)
        {
            return null;
        }

        var lines = new List<string>();
        var namespaces = new List<string> { encryption ? EntityFrameworkCoreRuntime : AspNetCoreRuntime };
        var root = await startup.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit)
        {
            return null;
        }

        if (encryption)
        {
            if (registrations.FieldEncryptionConfigured)
            {
                return null;
            }

            // Each registered DbContext whose options are one expression gets UseFieldEncryption(provider) at its end.
            var model = compilation.GetSemanticModel(unit.SyntaxTree);
            var lambdas = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var invocation in unit.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddDbContext" or "AddDbContextPool" or "AddDbContextFactory" or "AddPooledDbContextFactory" } ||
                    invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is not LambdaExpressionSyntax { ExpressionBody: { } body } lambda ||
                    EncryptingLambda(model, lambda, body, cancellationToken) is not { } rewritten)
                {
                    continue;
                }

                lambdas[lambda] = rewritten;
            }

            if (lambdas.Count == 0)
            {
                return null;
            }

            var tracked = unit.TrackNodes(lambdas.Keys.Append(startup.Anchor));
            var current = lambdas.ToDictionary(pair => (SyntaxNode)tracked.GetCurrentNode(pair.Key)!, pair => pair.Value);
            unit = tracked.ReplaceNodes(current.Keys, (original, _) => current[original].WithTriviaFrom(original));
            if (unit.GetCurrentNode(startup.Anchor) is not { } anchor)
            {
                return null;
            }

            startup = new Startup(startup.Document, anchor, startup.AtEnd, startup.Services, startup.Configuration);
            var text = unit.ToString();
            if (text.IndexOf("AddHipaaEncryption(", System.StringComparison.Ordinal) < 0)
            {
                lines.Add(startup.Services + ".AddHipaaEncryption();");
                namespaces.Add(Runtime);
            }

            lines.Add(startup.Services + ".AddHipaaEntityFrameworkCoreEncryption();");
        }
        else if (audit)
        {
            if (registrations.AuditRegistered)
            {
                return null;
            }

            if (!registrations.AuditSinkRegistered && HasMethod(compilation, Runtime, "AddHipaaAuditFileSink"))
            {
                var path = startup.Configuration is { } configuration
                    ? configuration + "[\"Audit:Path\"] ?? \"audit/audit.jsonl\""
                    : "\"audit/audit.jsonl\"";
                lines.Add(startup.Services + ".AddHipaaAuditFileSink(" + path + ");");
                namespaces.Add(Runtime);
            }

            lines.Add(startup.Services + ".AddHipaaAudit();");
        }
        else
        {
            var policies = registrations.UndefinedPolicies(compilation, cancellationToken);
            if (policies.Count == 0)
            {
                return null;
            }

            var json = new StringBuilder("[");
            for (int i = 0; i < policies.Count; i++)
            {
                var name = policies[i].Replace("\\", "\\\\").Replace("\"", "\\\"\"");
                json.Append(i == 0 ? "" : ",").Append("\n    {\"\"role\"\": \"\"").Append(name).Append("\"\", \"\"permissions\"\": [\"\"").Append(name).Append("\"\"]}");
            }

            json.Append("\n]");
            lines.Add("// Each permission the endpoints ask for, granted to a role of the same name that nobody holds yet (those endpoints");
            lines.Add("// answer 403): grant the permissions to your real roles, and move the definitions to a roles file.");
            lines.Add(startup.Services + ".AddHipaaAccessPolicies(@\"" + json + "\", options => options.TimeZone = global::System.TimeZoneInfo.Utc);");
        }

        var indentation = startup.Anchor.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var code = string.Join("\n", lines.Select(l => indentation.ToString() + l)) + "\n";
        var statements = SyntaxFactory.ParseSyntaxTree(WrapForParse(code), CSharpParseOptions.Default)
            .GetRoot(cancellationToken)
            .DescendantNodes()
            .OfType<BlockSyntax>()
            .First()
            .Statements
            .Select(s => s.WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation))
            .ToList();
        if (statements.Count == 0)
        {
            return null;
        }

        // The comment and the indentation travel as the first statement's leading trivia.
        statements[0] = statements[0].WithLeadingTrivia(SyntaxFactory.ParseLeadingTrivia(code.Substring(0, code.IndexOf(startup.Services, System.StringComparison.Ordinal))));
        for (int i = 1; i < statements.Count; i++)
        {
            statements[i] = statements[i].WithLeadingTrivia(indentation);
        }

        statements = statements.Select(s => s.WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"))).ToList();
        SyntaxNode newRoot = startup.Anchor switch
        {
            GlobalStatementSyntax global => unit.InsertNodesBefore(global, statements.Select(s => (SyntaxNode)SyntaxFactory.GlobalStatement(s))),
            StatementSyntax { Parent: BlockSyntax } statement when startup.AtEnd => unit.InsertNodesAfter(statement, statements),
            StatementSyntax { Parent: BlockSyntax } statement => unit.InsertNodesBefore(statement, statements),
            _ => unit,
        };
        if (newRoot == unit)
        {
            return null;
        }

        var newUnit = (CompilationUnitSyntax)newRoot;
        foreach (var ns in namespaces)
        {
            if (!newUnit.Usings.Any(u => u.Name?.ToString() == ns))
            {
                newUnit = newUnit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).WithTrailingTrivia(SyntaxFactory.EndOfLine("\n")));
            }
        }

        return new Change(startup.Document, newUnit);
    }

    /// <summary>
    /// <c>options =&gt; options.UseSqlite(...)</c> becomes <c>(provider, options) =&gt; options.UseSqlite(...).UseFieldEncryption(provider)</c>;
    /// a lambda that already takes the service provider keeps its name for it. Null when the options are not one
    /// expression the fix can extend.
    /// </summary>
    private static LambdaExpressionSyntax? EncryptingLambda(SemanticModel model, LambdaExpressionSyntax lambda, ExpressionSyntax body, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(body, cancellationToken).Type is not { } type || !TypeNames.DerivesFrom(type, "Microsoft.EntityFrameworkCore", "DbContextOptionsBuilder"))
        {
            return null;
        }

        switch (lambda)
        {
            case SimpleLambdaExpressionSyntax simple:
                var name = FreeName(model, lambda, "provider");
                var call = Extend(body, name);
                return SyntaxFactory.ParenthesizedLambdaExpression(
                    SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Parameter(SyntaxFactory.Identifier(name)), simple.Parameter.WithoutTrivia() })),
                    call);
            case ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 2 } pair:
                return pair.WithExpressionBody(Extend(body, pair.ParameterList.Parameters[0].Identifier.ValueText));
            default:
                return null;
        }
    }

    private static ExpressionSyntax Extend(ExpressionSyntax body, string provider) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, body.WithoutTrailingTrivia(), SyntaxFactory.IdentifierName("UseFieldEncryption")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(provider)))))
        .WithTrailingTrivia(body.GetTrailingTrivia());

    private static string FreeName(SemanticModel model, SyntaxNode at, string name)
    {
        var candidate = name;
        for (int i = 2; !model.LookupSymbols(at.SpanStart, name: candidate).IsEmpty; i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static string WrapForParse(string code) => "class C { void M() {\n" + code + "} }";

    private sealed class Startup
    {
        public Startup(Document document, SyntaxNode anchor, bool atEnd, string services, string? configuration)
        {
            Document = document;
            Anchor = anchor;
            AtEnd = atEnd;
            Services = services;
            Configuration = configuration;
        }

        public Document Document { get; }

        /// <summary>The statement the registration goes before (<c>var app = builder.Build();</c>) or, with <see cref="AtEnd"/>, after.</summary>
        public SyntaxNode Anchor { get; }

        public bool AtEnd { get; }

        public string Services { get; }

        public string? Configuration { get; }
    }

    /// <summary>
    /// Where services are registered: before <c>builder.Build()</c> of a <c>WebApplicationBuilder</c> (its
    /// <c>Services</c> and <c>Configuration</c>), or after the last statement of a <c>ConfigureServices(IServiceCollection)</c>
    /// method.
    /// </summary>
    private static async Task<Startup?> StartupAsync(Project project, Compilation compilation, CancellationToken cancellationToken)
    {
        Startup? configureServices = null;
        foreach (var document in project.Documents)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            var text = root.ToString();
            if (text.IndexOf("Build()", System.StringComparison.Ordinal) < 0 && text.IndexOf("ConfigureServices", System.StringComparison.Ordinal) < 0)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(root.SyntaxTree);
            foreach (var node in root.DescendantNodes())
            {
                if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Build" } access, ArgumentList.Arguments.Count: 0 } &&
                    TypeNames.Is(model.GetTypeInfo(access.Expression, cancellationToken).Type, "Microsoft.AspNetCore.Builder", "WebApplicationBuilder") &&
                    node.FirstAncestorOrSelf<StatementSyntax>() is { } statement)
                {
                    var builder = access.Expression.ToString();
                    SyntaxNode anchor = statement.Parent is GlobalStatementSyntax global ? global : statement;
                    if (anchor is GlobalStatementSyntax || statement.Parent is BlockSyntax)
                    {
                        return new Startup(document, anchor, atEnd: false, builder + ".Services", builder + ".Configuration");
                    }
                }

                if (configureServices is null && node is MethodDeclarationSyntax { Identifier.ValueText: "ConfigureServices", Body: { Statements.Count: > 0 } body } method &&
                    model.GetDeclaredSymbol(method, cancellationToken) is IMethodSymbol symbol &&
                    symbol.Parameters.FirstOrDefault(p => TypeNames.Is(p.Type, "Microsoft.Extensions.DependencyInjection", "IServiceCollection")) is { } services)
                {
                    var configuration = symbol.ContainingType.GetMembers("Configuration").FirstOrDefault() is IPropertySymbol or IFieldSymbol ? "Configuration" : null;
                    configureServices = new Startup(document, body.Statements.Last(), atEnd: true, services.Name, configuration);
                }
            }
        }

        return configureServices;
    }

    /// <summary>Whether a static method of that name is declared in that namespace (the runtime is referenced).</summary>
    private static bool HasMethod(Compilation compilation, string ns, string method)
    {
        INamespaceSymbol? current = compilation.GlobalNamespace;
        foreach (var part in ns.Split('.'))
        {
            current = current?.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
        }

        return current is not null && current.GetTypeMembers().Any(t => t.IsStatic && t.GetMembers(method).Any(m => m is IMethodSymbol { IsStatic: true }));
    }

    /// <summary>Fix All: one registration per project in the scope, of the kind chosen.</summary>
    private sealed class RegisterAllProvider : FixAllProvider
    {
        public static readonly RegisterAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var kind = fixAllContext.CodeActionEquivalenceKey switch
            {
                AuditKey => HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.AuditKind,
                PoliciesKey => HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.PolicyKind,
                EncryptionKey => HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer.EncryptionKind,
                _ => null,
            };
            if (kind is null)
            {
                return Task.FromResult<CodeAction?>(null);
            }

            var projects = fixAllContext.Scope == FixAllScope.Solution
                ? fixAllContext.Solution.Projects.Select(p => p.Id).ToList()
                : new List<ProjectId> { fixAllContext.Project.Id };
            var solution = fixAllContext.Solution;
            return Task.FromResult<CodeAction?>(CodeAction.Create(
                "Register what the endpoints and entities use at startup",
                async token =>
                {
                    var result = solution;
                    foreach (var id in projects)
                    {
                        result = await FixAsync(result, id, kind, token).ConfigureAwait(false);
                    }

                    return result;
                },
                fixAllContext.CodeActionEquivalenceKey));
        }
    }
}
