using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Sinks;

/// <summary>
/// The logging APIs of one compilation: Microsoft.Extensions.Logging (extensions, ILogger.Log, BeginScope,
/// [LoggerMessage] methods and LoggerMessage.Define delegates), Serilog, NLog, log4net, Console, Debug and Trace.
/// Types are matched by name, never looked up.
/// </summary>
internal sealed class LogSinks
{
    /// <summary>The traced log calls of each bound body.</summary>
    private static readonly BodyCache.Slot<SharedCache<IInvocationOperation, ImmutableArray<(SinkValue Sink, PhiFinding Finding)>>> Traced =
        BodyCache.NewSlot<SharedCache<IInvocationOperation, ImmutableArray<(SinkValue Sink, PhiFinding Finding)>>>();

    /// <summary>
    /// The logging types by metadata name, then namespace, and the methods of each that write an entry (null: every
    /// method). Matched by name, so nothing is looked up when a compilation starts: each keystroke in the IDE is a new
    /// compilation, and a type lookup there costs more than the log calls of the edited file.
    /// </summary>
    private static readonly TypeNameTable<string[]?> SinkTypes = CreateSinkTypes();

    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<(int Ordinal, string Inner)>> _wrappers = new(SymbolEqualityComparer.Default);

    private static TypeNameTable<string[]?> CreateSinkTypes()
    {
        var types = new TypeNameTable<string[]?>();
        void Add(string fullName, params string[]? methodNames) => types.GetOrAdd(fullName, () => methodNames);

        // null: every method of the type writes a log entry.
        Add("Microsoft.Extensions.Logging.LoggerExtensions", null);
        Add("Microsoft.Extensions.Logging.ILogger", "Log", "BeginScope");
        string[] serilog = { "Write", "Verbose", "Debug", "Information", "Warning", "Error", "Fatal", "ForContext" };
        Add("Serilog.ILogger", serilog);
        Add("Serilog.Log", serilog);
        Add("Serilog.Core.Logger", serilog);
        Add("Serilog.Context.LogContext", "PushProperty");
        string[] nlog = { "Trace", "Debug", "Info", "Warn", "Error", "Fatal", "Log", "ConditionalDebug", "ConditionalTrace" };
        Add("NLog.ILogger", nlog);
        Add("NLog.ILoggerBase", nlog);
        Add("NLog.Logger", nlog);
        Add("NLog.ILoggerExtensions", nlog);
        Add("log4net.ILog",
            "Debug", "Info", "Warn", "Error", "Fatal", "DebugFormat", "InfoFormat", "WarnFormat", "ErrorFormat", "FatalFormat");
        Add("System.Console", "Write", "WriteLine");
        string[] diagnostics = { "Write", "WriteLine", "WriteIf", "WriteLineIf", "Print", "Assert", "Fail", "TraceInformation", "TraceWarning", "TraceError" };
        Add("System.Diagnostics.Debug", diagnostics);
        Add("System.Diagnostics.Trace", diagnostics);
        Add("System.Diagnostics.TraceSource", "TraceEvent", "TraceInformation", "TraceData");
        return types;
    }

    /// <summary>Whether <paramref name="type"/> is a logging type, and which of its methods log (null: all).</summary>
    private static bool IsSinkType(INamedTypeSymbol type, out string[]? methods) => SinkTypes.TryGet(type, out methods);

    private static bool IsTextWriter(ITypeSymbol? type) => TypeNames.Is(type, "System.IO", "TextWriter");

    /// <summary>Microsoft.Extensions.Logging's non-generic ILogger.</summary>
    private static bool IsMelLogger(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Arity: 0 } && TypeNames.Is(type, "Microsoft.Extensions.Logging", "ILogger");

    /// <summary>
    /// The PHI that one call writes to a log, traced once and shared by the rules that report it (HIPAA001, HIPAA002).
    /// A tree always has the same options, so the model is the same for every rule that asks about one call.
    /// </summary>
    /// <remarks>Only calls that may log are traced and kept; the cheap check settles the others.</remarks>
    public ImmutableArray<(SinkValue Sink, PhiFinding Finding)> Analyze(
        IInvocationOperation invocation, PhiCompilationContext phi, AnalyzerOptions options, ISymbol containingSymbol)
    {
        if (!MayLog(invocation.TargetMethod))
        {
            return ImmutableArray<(SinkValue, PhiFinding)>.Empty;
        }

        var traced = BodyCache.For(invocation).Get(Traced, _ => new SharedCache<IInvocationOperation, ImmutableArray<(SinkValue, PhiFinding)>>(CallsBySpan.Instance));
        return traced.TryGetValue(invocation, out var findings)
            ? findings
            : traced.GetOrAdd(invocation, Compute(invocation, phi, options, containingSymbol));
    }

    private ImmutableArray<(SinkValue Sink, PhiFinding Finding)> Compute(
        IInvocationOperation invocation, PhiCompilationContext phi, AnalyzerOptions options, ISymbol containingSymbol)
    {
        var values = new List<SinkValue>();
        if (!MayLog(invocation.TargetMethod) || IsGeneratedLoggingCode(containingSymbol))
        {
            return ImmutableArray<(SinkValue, PhiFinding)>.Empty;
        }

        // Options are read only for log calls, not for every call in the file.
        var model = phi.GetModel(options, invocation.Syntax.SyntaxTree);
        Collect(invocation, model, values, depth: 0);
        if (values.Count == 0)
        {
            return ImmutableArray<(SinkValue, PhiFinding)>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<(SinkValue, PhiFinding)>();
        foreach (var value in values)
        {
            foreach (var finding in model.Flow.Trace(value.Value, value.Formatting))
            {
                builder.Add((value, finding));
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>A cheap first look at an invocation: could it write a log entry at all?</summary>
    public bool MayLog(IOperation invocation) => MayLog(((IInvocationOperation)invocation).TargetMethod);

    /// <summary>A cheap first look: could this call write a log entry at all?</summary>
    private bool MayLog(IMethodSymbol method)
    {
        var type = method.ContainingType?.OriginalDefinition;
        return type is not null &&
               (IsSinkType(type, out _) || method.MethodKind == MethodKind.DelegateInvoke ||
                IsTextWriter(type) || IsWrapperCandidate(method) ||
                method.IsPartialDefinition | method.PartialDefinitionPart is not null);
    }

    /// <summary>The values a call hands to a logger, with how each is formatted. Empty when the call is not a log call.</summary>
    private void Collect(IInvocationOperation invocation, PhiModel model, List<SinkValue> values, int depth)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return;
        }

        if (IsSinkType(type, out var names))
        {
            if (names is null || System.Array.IndexOf(names, method.Name) >= 0)
            {
                CollectTemplated(invocation, type.Name + "." + method.Name, values);
            }

            return;
        }

        // Console.Out.WriteLine / Console.Error.Write.
        if (method.Name is "Write" or "WriteLine" && IsTextWriter(type) &&
            invocation.Instance is IPropertyReferenceOperation { Property.Name: "Out" or "Error" } stream &&
            TypeNames.Is(stream.Property.ContainingType, "System", "Console"))
        {
            CollectTemplated(invocation, "Console." + stream.Property.Name + "." + method.Name, values);
            return;
        }

        if (GetLoggerMessageTemplate(method) is { } template)
        {
            CollectLoggerMessage(invocation, template, values);
            return;
        }

        // LoggerMessage.Define returns Action<ILogger, T1, ..., Exception?>.
        if (method.MethodKind == MethodKind.DelegateInvoke && method.Parameters.Length > 1 && IsMelLogger(method.Parameters[0].Type))
        {
            CollectTemplated(invocation, "LoggerMessage.Define delegate", values);
            return;
        }

        // A team's own logging wrapper (LoggingBroker.LogInformationAsync(string message)) passes its parameters on.
        if (IsWrapperCandidate(method))
        {
            foreach (var (ordinal, inner) in GetWrapper(method.OriginalDefinition, model, depth, invocation.SemanticModel))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Ordinal == ordinal && argument.ArgumentKind != ArgumentKind.DefaultValue)
                    {
                        values.Add(new SinkValue(argument.Value, SinkFormatting.ToString, type.Name + "." + method.Name + " -> " + inner));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Methods of the user's own that look like logging (LogInformationAsync, AuditLogger.Write): only these have their
    /// bodies read, so an edit does not make every callee's body bind.
    /// </summary>
    private static bool IsWrapperCandidate(IMethodSymbol method)
    {
        if (method.IsAbstract || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) ||
            method.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        bool hasText = false;
        foreach (var parameter in method.Parameters)
        {
            hasText |= parameter.Type.SpecialType is SpecialType.System_String or SpecialType.System_Object;
        }

        return hasText && (HasLoggingWord(method.Name) || (method.ContainingType is { } t && HasLoggingWord(t.Name)));
    }

    private static bool HasLoggingWord(string name)
    {
        foreach (var word in IdentifierWords.Split(name))
        {
            switch (word)
            {
                case "log":
                case "logs":
                case "logger":
                case "logging":
                case "audit":
                case "trace":
                case "tracer":
                    return true;
            }
        }

        return false;
    }

    /// <summary>Which parameters of a wrapper reach a log call in its body, and that call's name.</summary>
    private ImmutableArray<(int Ordinal, string Inner)> GetWrapper(IMethodSymbol method, PhiModel model, int depth, SemanticModel? near)
    {
        if (_wrappers.TryGetValue(method, out var known))
        {
            return known;
        }

        // Recursive wrappers end; a result that depended on one still in progress is not cached.
        var guard = t_wrapperGuard ??= new CycleGuard<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (depth > MaxWrapperDepth)
        {
            guard.MarkIncomplete();
            return ImmutableArray<(int, string)>.Empty;
        }

        if (!guard.TryEnter(method))
        {
            return ImmutableArray<(int, string)>.Empty;
        }

        bool complete = false;
        ImmutableArray<(int Ordinal, string Inner)> summary;
        try
        {
            summary = ComputeWrapper(method, model, depth, near);
        }
        finally
        {
            complete = guard.Exit();
        }

        if (complete)
        {
            _wrappers.TryAdd(method, summary);
        }

        return summary;
    }

    [System.ThreadStatic]
    private static CycleGuard<IMethodSymbol>? t_wrapperGuard;

    /// <summary>Wrappers of wrappers are followed this deep; the stack stays small.</summary>
    private const int MaxWrapperDepth = 8;

    private ImmutableArray<(int Ordinal, string Inner)> ComputeWrapper(IMethodSymbol method, PhiModel model, int depth, SemanticModel? near)
    {
        var result = ImmutableArray.CreateBuilder<(int, string)>();
        var seen = new HashSet<int>();
        var body = model.Flow.GetBody(method, near);
        if (body is not null)
        {
            var inner = new List<SinkValue>();
            foreach (var call in body.Descendants())
            {
                if (call is not IInvocationOperation invocation || !MayLog(invocation.TargetMethod))
                {
                    continue;
                }

                inner.Clear();
                Collect(invocation, model, inner, depth + 1);
                foreach (var value in inner)
                {
                    foreach (var ordinal in model.Flow.ParametersReaching(value.Value, method))
                    {
                        if (seen.Add(ordinal))
                        {
                            result.Add((ordinal, value.SinkName));
                        }
                    }
                }
            }
        }

        return result.ToImmutable();
    }

    private void CollectTemplated(IInvocationOperation invocation, string sinkName, List<SinkValue> values)
    {
        IReadOnlyList<bool>? destructured = null;
        int position = -1;
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (IsTemplateParameter(parameter))
            {
                values.Add(new SinkValue(argument.Value, SinkFormatting.ToString, sinkName));
                destructured = MessageTemplate.Destructured(argument.Value.ConstantValue.Value as string);
                position = 0;
                continue;
            }

            if (IsIgnored(parameter.Type))
            {
                continue;
            }

            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
            {
                foreach (var item in items.ElementValues)
                {
                    values.Add(new SinkValue(item, FormattingAt(destructured, position), sinkName));
                    position = position >= 0 ? position + 1 : position;
                }

                continue;
            }

            values.Add(new SinkValue(argument.Value, FormattingAt(destructured, position), sinkName));
            position = position >= 0 ? position + 1 : position;
        }
    }

    private void CollectLoggerMessage(IInvocationOperation invocation, string template, List<SinkValue> values)
    {
        var holes = MessageTemplate.DestructuredNames(template);
        var sinkName = "[LoggerMessage] " + invocation.TargetMethod.Name;
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null || IsIgnored(parameter.Type))
            {
                continue;
            }

            // [LogProperties] logs every public property of the argument, as destructuring does.
            var formatting = holes.Contains(parameter.Name.ToLowerInvariant()) || HasLogProperties(parameter)
                ? SinkFormatting.Destructure
                : SinkFormatting.ToString;
            values.Add(new SinkValue(argument.Value, formatting, sinkName));
        }
    }

    private static bool HasLogProperties(IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "LogPropertiesAttribute")
            {
                return true;
            }
        }

        return false;
    }

    private string? GetLoggerMessageTemplate(IMethodSymbol method)
    {
        var definition = method.PartialDefinitionPart ?? method;
        foreach (var attribute in definition.GetAttributes())
        {
            if (!TypeNames.Is(attribute.AttributeClass, "Microsoft.Extensions.Logging", "LoggerMessageAttribute"))
            {
                continue;
            }

            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Message" && named.Value.Value is string message)
                {
                    return message;
                }
            }

            foreach (var positional in attribute.ConstructorArguments)
            {
                if (positional.Value is string message)
                {
                    return message;
                }
            }

            return string.Empty;
        }

        return null;
    }

    private static bool IsTemplateParameter(IParameterSymbol parameter) =>
        parameter.Type.SpecialType == SpecialType.System_String &&
        parameter.Name is "message" or "messageTemplate" or "messageFormat" or "format";

    /// <summary>Levels, event IDs, exceptions, flags, format providers and callbacks carry no caller data.</summary>
    private bool IsIgnored(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Boolean || type.TypeKind == TypeKind.Delegate || type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (IsMelLogger(type))
        {
            return true;
        }

        if (TypeNames.DerivesFrom(type, "System", "Exception"))
        {
            return true;
        }

        return type.Name is "EventId" or "LogLevel" or "LogEventLevel" or "Level" or "IFormatProvider" or "CultureInfo" or "Type" or "ILogger";
    }

    private static SinkFormatting FormattingAt(IReadOnlyList<bool>? destructured, int position) =>
        destructured is not null && position >= 0 && position < destructured.Count && destructured[position]
            ? SinkFormatting.Destructure
            : SinkFormatting.ToString;

    /// <summary>The code the logging source generator writes for [LoggerMessage] methods; the user's call site is reported instead.</summary>
    /// <summary>
    /// The calls of one body by identity, hashed by where they start: an object's identity hash is made the first time
    /// it is asked for, which costs more than reading the position the syntax already knows.
    /// </summary>
    private sealed class CallsBySpan : IEqualityComparer<IInvocationOperation>
    {
        public static readonly CallsBySpan Instance = new();

        public bool Equals(IInvocationOperation? x, IInvocationOperation? y) => ReferenceEquals(x, y);

        public int GetHashCode(IInvocationOperation call) => call.Syntax.SpanStart;
    }

    private static bool IsGeneratedLoggingCode(ISymbol containingSymbol)
    {
        for (var symbol = containingSymbol; symbol is not null; symbol = symbol.ContainingType)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "GeneratedCodeAttribute" &&
                    attribute.ConstructorArguments.Length > 0 &&
                    attribute.ConstructorArguments[0].Value is string tool &&
                    tool.StartsWith("Microsoft.Extensions.Logging.Generators", System.StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
