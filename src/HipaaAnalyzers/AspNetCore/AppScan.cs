using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// What one syntax tree holds that the application-wide endpoint settings depend on, found from syntax alone and
/// cached per tree: the invocations and assignments that may set a fallback policy, a global filter, controller or
/// Razor Pages conventions, the global audit option or a service registration, and every invocation by method name
/// (to find the callers of a method that maps endpoints on a route group it is handed).
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
    };

    private static readonly HashSet<string> ConventionProperties = new(System.StringComparer.Ordinal)
    {
        "FallbackPolicy", "DefaultPolicy", "AuditAllEndpoints",
    };

    private AppScan(ImmutableArray<SyntaxNode> candidates, Dictionary<string, List<InvocationExpressionSyntax>> invocations)
    {
        Candidates = candidates;
        Invocations = invocations;
    }

    /// <summary>Invocations and assignments that may be application-wide settings.</summary>
    public ImmutableArray<SyntaxNode> Candidates { get; }

    /// <summary>Every invocation of the tree by the simple name of the method called.</summary>
    public Dictionary<string, List<InvocationExpressionSyntax>> Invocations { get; }

    public static AppScan For(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(tree, out var cached))
        {
            return cached;
        }

        var scan = Create(tree.GetRoot(cancellationToken));
        return Cache.GetValue(tree, _ => scan);
    }

    private static AppScan Create(SyntaxNode root)
    {
        var candidates = ImmutableArray.CreateBuilder<SyntaxNode>();
        var invocations = new Dictionary<string, List<InvocationExpressionSyntax>>(System.StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax invocation when MethodName(invocation.Expression) is { } name:
                    if (!invocations.TryGetValue(name, out var list))
                    {
                        invocations[name] = list = new List<InvocationExpressionSyntax>();
                    }

                    list.Add(invocation);
                    if (ConventionMethods.Contains(name) || name == "Add" && IsFiltersAdd(invocation.Expression))
                    {
                        candidates.Add(invocation);
                    }

                    break;
                case AssignmentExpressionSyntax assignment when MethodName(assignment.Left) is { } property && ConventionProperties.Contains(property):
                    candidates.Add(assignment);
                    break;
            }
        }

        return new AppScan(candidates.ToImmutable(), invocations);
    }

    /// <summary><c>options.Filters.Add(...)</c>, <c>Filters.Add&lt;T&gt;()</c>.</summary>
    private static bool IsFiltersAdd(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Expression: var receiver } &&
        MethodName(receiver) == "Filters";

    private static string? MethodName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };
}
