using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>What the Fix All providers that change a whole solution at once share: the diagnostics of the scope asked for.</summary>
internal static class FixAllScopes
{
    /// <summary>The diagnostics of the document, project or solution of <paramref name="context"/>; null for another scope.</summary>
    public static async Task<List<Diagnostic>?> DiagnosticsAsync(FixAllContext context)
    {
        var diagnostics = new List<Diagnostic>();
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is { } document:
                diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false));
                break;
            case FixAllScope.Project:
                diagnostics.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                break;
            case FixAllScope.Solution:
                foreach (var project in context.Solution.Projects)
                {
                    diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                }

                break;
            default:
                return null;
        }

        return diagnostics;
    }
}
