using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Persistence;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA205: stores a <c>PasswordHasher&lt;T&gt;</c> hash instead of the password ("HIPAA205.UsePasswordHasher"), from
/// the password property or from a comparison of it: the property becomes <c>PasswordHash</c> with
/// <c>[Column("Password")]</c>, assignments hash, comparisons verify (see <see cref="PasswordHashRewrite"/>). Offered
/// only when the compilation has ASP.NET Core Identity's <c>PasswordHasher&lt;TUser&gt;</c> (the shared framework
/// Microsoft.AspNetCore.App, or the Microsoft.Extensions.Identity.Core package) and every use of the property can be
/// rewritten.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA205PlaintextPasswordFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA205PlaintextPasswordFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.PlaintextPassword + ".UsePasswordHasher";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PlaintextPassword);

    public override FixAllProvider GetFixAllProvider() => HashAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var compilation = await document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        if (compilation is null || !PasswordHashRewrite.HasPasswordHasher(compilation))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (await PlanAsync(document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } plan)
            {
                continue;
            }

            var solution = document.Project.Solution;
            context.RegisterCodeFix(
                CodeAction.Create(plan.Title, token => PasswordHashRewrite.ApplyAsync(solution, plan, token), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<PasswordHashRewrite.Plan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(EntityProperties.PropertyId, out var propertyId);
        diagnostic.Properties.TryGetValue(EntityProperties.Assembly, out var assembly);
        var property = await PasswordHashRewrite.FindPropertyAsync(document, propertyId, assembly, cancellationToken).ConfigureAwait(false);
        return property is null
            ? null
            : await PasswordHashRewrite.PlanAsync(document.Project.Solution, property, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fix All in a document, project or solution: each password property named by the scope's diagnostics is changed
    /// once, with all its uses, whichever documents they are in.
    /// </summary>
    private sealed class HashAllProvider : FixAllProvider
    {
        public static readonly HashAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != EquivalenceKey)
            {
                return null;
            }

            if (await FixAllScopes.DiagnosticsAsync(fixAllContext).ConfigureAwait(false) is not { } diagnostics)
            {
                return null;
            }

            var solution = fixAllContext.Solution;
            var cancellationToken = fixAllContext.CancellationToken;
            var plans = new List<PasswordHashRewrite.Plan>();
            var seen = new HashSet<(ProjectId, string)>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
            {
                if (diagnostic.Location.SourceTree is not { } tree || solution.GetDocument(tree) is not { } document ||
                    await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation ||
                    !PasswordHashRewrite.HasPasswordHasher(compilation) ||
                    await PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is not { } plan ||
                    !seen.Add((plan.Project, plan.PropertyId)))
                {
                    continue;
                }

                plans.Add(plan);
            }

            if (plans.Count == 0)
            {
                return null;
            }

            return CodeAction.Create(
                plans.Count == 1 ? plans[0].Title : $"Store PasswordHasher<T> hashes in {plans.Count} password properties and verify against them",
                async token =>
                {
                    var fixedSolution = solution;
                    foreach (var plan in plans)
                    {
                        fixedSolution = await PasswordHashRewrite.ApplyAsync(fixedSolution, plan, token).ConfigureAwait(false);
                    }

                    return fixedSolution;
                },
                EquivalenceKey);
        }
    }
}
