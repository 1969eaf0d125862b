using System;
using System.Collections.Generic;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Sinks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>Turns PHI findings at a sink into diagnostics, one per place in the code.</summary>
internal static class FindingReporter
{
    /// <summary>
    /// The PHI expression itself when it is written inside the value handed to the sink (so a fix can wrap just it),
    /// otherwise the value handed to the sink (the PHI arrived through a local or a call).
    /// </summary>
    public static Location LocationOf(PhiFinding finding, IOperation sinkValue)
    {
        // p?.Ssn: the whole conditional access is the value; ".Ssn" alone is no expression a fix could wrap.
        var operation = finding.Source;
        // "await GetSsnAsync()": the awaited result is the value, not the task.
        while (operation.Parent is IConditionalAccessOperation access && access.WhenNotNull == operation ||
               operation.Parent is IAwaitOperation)
        {
            operation = operation.Parent;
        }

        var source = operation.Syntax;
        var sink = sinkValue.Syntax;
        return source.SyntaxTree == sink.SyntaxTree && sink.Span.Contains(source.Span)
            ? source.GetLocation()
            : sink.GetLocation();
    }

    public static void Report(
        Action<Diagnostic> report,
        DiagnosticDescriptor descriptor,
        IEnumerable<(SinkValue Sink, PhiFinding Finding)> findings,
        PhiFindingKind kind,
        Func<SinkValue, PhiFinding, object[]> messageArguments)
    {
        HashSet<TextSpan>? reported = null;
        foreach (var (sink, finding) in findings)
        {
            if (finding.Kind != kind)
            {
                continue;
            }

            var location = LocationOf(finding, sink.Value);
            reported ??= new HashSet<TextSpan>();
            if (reported.Add(location.SourceSpan))
            {
                // The value handed to the sink, when the PHI is written inside it: a fix wraps what reaches the sink
                // (HashSsn(p.Ssn) whole), never an input of a computation inside it.
                var sinkLocation = sink.Value.Syntax.GetLocation();
                var additional = sinkLocation.SourceSpan == location.SourceSpan ? null : new[] { sinkLocation };
                report(Diagnostic.Create(descriptor, location, additional, messageArguments(sink, finding)));
            }
        }
    }
}
