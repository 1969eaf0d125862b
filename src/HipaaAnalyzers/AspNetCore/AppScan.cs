using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// What one syntax tree holds that the application-wide endpoint settings depend on, found from syntax alone and
/// cached per tree: the invocations and assignments that may set a fallback policy, a global filter, controller or
/// Razor Pages conventions, the global audit option, a service registration, middleware (<c>app.Use...()</c>), an EF Core
/// interceptor or a <c>SaveChanges</c> override, and its invocations by method name (to find the callers of a method
/// that maps endpoints on a route group it is handed).
/// </summary>
/// <remarks>
/// A tree that does not change between two compilations (every file but the one being edited) keeps its index, so
/// the application-wide scan binds only the few candidate nodes, not every body of the compilation.
/// </remarks>
internal sealed class AppScan
{
    private static readonly ConditionalWeakTable<SyntaxTree, AppScan> Cache = new();

    private static readonly HashSet<string> ConventionMethods = new(System.StringComparer.Ordinal)
    {
        "SetFallbackPolicy", "SetDefaultPolicy", "MapControllers", "MapControllerRoute", "MapDefaultControllerRoute",
        "MapAreaControllerRoute", "MapRazorPages", "AuthorizeFolder", "AuthorizePage", "AllowAnonymousToFolder", "AllowAnonymousToPage",
        "AddSingleton", "AddScoped", "AddTransient", "AddKeyedSingleton", "AddKeyedScoped", "AddKeyedTransient", "TryAddSingleton",
        "TryAddScoped", "TryAddTransient", "AddHostedService", "AddHttpClient", "AddDbContext", "AddDbContextPool", "AddDbContextFactory",
        "AddInterceptors",
    };

    private static readonly HashSet<string> ConventionProperties = new(System.StringComparer.Ordinal)
    {
        "FallbackPolicy", "DefaultPolicy", "AuditAllEndpoints",
    };

    /// <summary>Words that every candidate's text contains: a file without any of them is not walked at all.</summary>
    private static readonly string[] Keywords =
    {
        "FallbackPolicy", "DefaultPolicy", "AuditAllEndpoints", "MapControllers", "ControllerRoute", "MapRazorPages", "AuthorizeFolder", "AuthorizePage",
        "AllowAnonymousTo", "Filters", "AddSingleton", "AddScoped", "AddTransient", "AddKeyed", "TryAdd", "AddHostedService",
        "AddHttpClient", "AddDbContext", ".Use", "AddInterceptors",
    };

    /// <summary>
    /// Words one of which a file that hands a route builder to a method mentions: the builder's types, or the calls that
    /// make one. Only such files are indexed for <see cref="Invocations"/>.
    /// </summary>
    private static readonly string[] RouteBuilderWords =
    {
        "WebApplication", "EndpointRouteBuilder", "RouteGroupBuilder", "MapGroup", "UseEndpoints",
    };

    private readonly Dictionary<string, List<InvocationExpressionSyntax>> _invocations;

    private AppScan(ImmutableArray<SyntaxNode> candidates, Dictionary<string, List<InvocationExpressionSyntax>> invocations)
    {
        Candidates = candidates;
        _invocations = invocations;
    }

    /// <summary>Invocations and assignments that may be application-wide settings.</summary>
    public ImmutableArray<SyntaxNode> Candidates { get; }

    /// <summary>
    /// The invocations of the tree by the name of the method they call (<c>MapPatientEndpoints</c> for
    /// <c>app.MapPatientEndpoints()</c>), to find the callers of a method that maps endpoints on a route group it is
    /// handed; empty for a file that mentions no route builder (<see cref="RouteBuilderWords"/>), which has none to hand.
    /// </summary>
    public IReadOnlyDictionary<string, List<InvocationExpressionSyntax>> Invocations => _invocations;

    public static AppScan For(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(tree, out var cached))
        {
            return cached;
        }

        var scan = Create(tree, cancellationToken);
        return Cache.GetValue(tree, _ => scan);
    }

    /// <summary>
    /// One walk of the tree's nodes for the candidates and the invocation index, when its text has one of the words
    /// they need: searching the text is much cheaper than walking the nodes, and most files mention none of them.
    /// </summary>
    private static AppScan Create(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        var text = SourceTexts.Of(tree, cancellationToken);
        // A SaveChanges override needs both words; every service that calls SaveChangesAsync has only the second.
        bool conventions = Keywords.Any(keyword => text.IndexOf(keyword, System.StringComparison.Ordinal) >= 0) ||
                           text.IndexOf("override", System.StringComparison.Ordinal) >= 0 && text.IndexOf("SaveChanges", System.StringComparison.Ordinal) >= 0;
        bool routeBuilders = RouteBuilderWords.Any(word => text.IndexOf(word, System.StringComparison.Ordinal) >= 0);
        var candidates = ImmutableArray.CreateBuilder<SyntaxNode>();
        var invocations = new Dictionary<string, List<InvocationExpressionSyntax>>(System.StringComparer.Ordinal);
        if (!conventions && !routeBuilders)
        {
            return new AppScan(ImmutableArray<SyntaxNode>.Empty, invocations);
        }

        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax invocation when SyntaxNames.Last(invocation.Expression) is { } name:
                    if (routeBuilders)
                    {
                        if (!invocations.TryGetValue(name, out var list))
                        {
                            invocations[name] = list = new List<InvocationExpressionSyntax>();
                        }

                        list.Add(invocation);
                    }

                    if (conventions && (ConventionMethods.Contains(name) || name is "Add" or "AddService" && IsFiltersAdd(invocation.Expression) ||
                        IsUse(name) && invocation.Expression is MemberAccessExpressionSyntax))
                    {
                        candidates.Add(invocation);
                    }

                    break;
                case MethodDeclarationSyntax method when conventions && EndpointModel.IsSaveChangesOverride(method):
                    candidates.Add(method);
                    break;
                case AssignmentExpressionSyntax assignment when conventions && SyntaxNames.Last(assignment.Left) is { } property && ConventionProperties.Contains(property):
                    candidates.Add(assignment);
                    break;
            }
        }

        return new AppScan(candidates.ToImmutable(), invocations);
    }

    /// <summary><c>app.Use(...)</c>, <c>app.UseMiddleware&lt;T&gt;()</c>, <c>app.UseAuditTrail()</c>: middleware that may audit.</summary>
    private static bool IsUse(string name) =>
        name.StartsWith("Use", System.StringComparison.Ordinal) && (name.Length == 3 || char.IsUpper(name[3]));

    /// <summary><c>options.Filters.Add(...)</c>, <c>Filters.Add&lt;T&gt;()</c>.</summary>
    private static bool IsFiltersAdd(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Expression: var receiver } &&
        SyntaxNames.Last(receiver) == "Filters";
}
