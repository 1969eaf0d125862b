using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// What the PHI fixes of one document need: its root, its semantic model and the runtime's <c>Phi</c> type, resolved
/// once for all the diagnostics being fixed.
/// </summary>
internal sealed class PhiFixContext
{
    private PhiFixContext(Document document, SyntaxNode root, SemanticModel model, INamedTypeSymbol phi, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Phi = phi;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    public INamedTypeSymbol Phi { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Null when the compilation cannot call the runtime's <c>Phi</c>: then no fix is offered.</summary>
    public static async Task<PhiFixContext?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || PhiRuntime.Resolve(model.Compilation) is not { } phi)
        {
            return null;
        }

        return new PhiFixContext(document, root, model, phi, cancellationToken);
    }

    public FixTarget? FindTarget(Diagnostic diagnostic) =>
        diagnostic.Location.IsInSource && diagnostic.Location.SourceTree == Root.SyntaxTree
            ? FixTarget.Find(Root, Model, diagnostic.Location.SourceSpan, CancellationToken)
            : null;

    /// <summary>
    /// Adds the fix that wraps the target in <c>Phi.Method(...)</c>: "Redact with Phi.Redact" (key "HIPAA001.Redact"),
    /// "Pseudonymize with Phi.Pseudonymize" (key "HIPAA001.Pseudonymize"); nothing when the result would not compile.
    /// </summary>
    public void AddSanitizer(List<PhiFix> fixes, FixTarget target, string ruleId, string sanitizer)
    {
        if (!PhiRuntime.Has(Phi, sanitizer))
        {
            return;
        }

        var call = PhiRuntime.Call(SyntaxGenerator.GetGenerator(Document), Model, target.Expression.SpanStart, Phi, sanitizer, target.Expression);
        var stringType = Model.Compilation.GetSpecialType(SpecialType.System_String);
        if (target.Accepts(Model, call, stringType, CancellationToken))
        {
            fixes.Add(PhiFix.Replace(sanitizer + " with Phi." + sanitizer, ruleId + "." + sanitizer, target.Expression, call));
        }
    }
}
