using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// Whether a rule has a code fix, in the words of the "Code fix" column of the rule tables and rule pages; hipaa-scan's
/// SARIF and HTML reports give the same answer in lower case.
/// </summary>
public enum CodeFixAvailability
{
    /// <summary>No fixer fixes the rule.</summary>
    No,

    /// <summary>The rule's fixer is marked <see cref="PartialCodeFixAttribute"/>: its fix is offered for some shapes of the finding only.</summary>
    Partly,

    /// <summary>A fixer fixes the rule.</summary>
    Yes,
}

/// <summary>
/// Marks a fixer whose fix is offered for some shapes of its rule's findings only (a method that encrypts a value, which
/// it rewrites to the runtime's field encryption, say), so that the other findings need a change by hand. The one place that says so: the rule tables
/// ("Partly") and hipaa-scan's reports ("partly") are checked against it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PartialCodeFixAttribute : Attribute
{
}

/// <summary>How far the fixers reach for each rule.</summary>
public static class CodeFixAvailabilities
{
    /// <summary>
    /// <see cref="CodeFixAvailability.Yes"/> when a fixer without <see cref="PartialCodeFixAttribute"/> fixes
    /// <paramref name="ruleId"/>, else <see cref="CodeFixAvailability.Partly"/> when a fixer with it does, else
    /// <see cref="CodeFixAvailability.No"/>.
    /// </summary>
    public static CodeFixAvailability Of(string ruleId, IEnumerable<CodeFixProvider> fixers)
    {
        var result = CodeFixAvailability.No;
        foreach (var fixer in fixers.Where(f => f.FixableDiagnosticIds.Contains(ruleId, StringComparer.Ordinal)))
        {
            if (!fixer.GetType().IsDefined(typeof(PartialCodeFixAttribute), inherit: false))
            {
                return CodeFixAvailability.Yes;
            }

            result = CodeFixAvailability.Partly;
        }

        return result;
    }
}
