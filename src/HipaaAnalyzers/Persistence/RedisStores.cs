using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

#pragma warning disable RS1030 // The app's Redis registrations are bound where they are, in any file of the compilation, once per compilation.

namespace HipaaAnalyzers.Persistence;

/// <summary>
/// Which Redis a value connects to, and the Redis the app keeps its own data in (its cache, or a multiplexer it
/// registers), for HIPAA204's keys-beside-data check. A Redis is named by a source: the configuration key it is read
/// from (<c>config:ConnectionStrings:Redis</c>, compared without case), its connection string (<c>text:...</c>), the
/// field or property that holds the multiplexer (<c>member:...</c>), a local of the method (<c>local:...</c>), or the
/// multiplexer resolved from dependency injection (<c>di:IConnectionMultiplexer</c>).
/// </summary>
/// <remarks>
/// Fields, properties, parameters and helper methods are followed into the rest of the compilation through
/// <see cref="ProgramIndex"/> (bounded, per name). The app's registrations in other methods are found once per
/// compilation, on the first <c>PersistKeysToStackExchangeRedis</c> analyzed: only files whose text mentions
/// <c>AddStackExchangeRedisCache</c> or <c>Multiplexer</c> are walked, each once while it does not change, and only their
/// <c>AddStackExchangeRedisCache</c> and <c>AddSingleton</c> calls are bound.
/// </remarks>
internal sealed class RedisStores
{
    private const int MaxDepth = 3;

    private static readonly ConditionalWeakTable<Compilation, RedisStores> Cache = new();

    /// <summary>Per file: its <c>AddStackExchangeRedisCache</c> and <c>AddSingleton</c> calls, none when its text mentions neither Redis name.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, List<InvocationExpressionSyntax>> Candidates = new();

    private readonly Compilation _compilation;
    private readonly ProgramIndex _index;
    private IReadOnlyList<AppUse>? _appRedis;

    private RedisStores(Compilation compilation)
    {
        _compilation = compilation;
        _index = ProgramIndex.For(compilation);
    }

    public static RedisStores For(Compilation compilation) => Cache.GetValue(compilation, c => new RedisStores(c));

    /// <summary>The source of the Redis a value connects to, or null when it cannot be told.</summary>
    public string? Source(IOperation value, CancellationToken cancellationToken) => Source(value, 0, cancellationToken);

    /// <summary>
    /// The app's Redis with the same source as <paramref name="keySource"/>: in the same method as
    /// <paramref name="persist"/> (any source, locals too), else anywhere in the compilation (not a local). Returns how
    /// the app uses it ("AddStackExchangeRedisCache", ...), or null.
    /// </summary>
    public string? FindAppRedis(IInvocationOperation persist, string keySource, CancellationToken cancellationToken)
    {
        var root = Root(persist);
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation invocation && invocation != persist)
            {
                foreach (var use in Uses(invocation, cancellationToken))
                {
                    if (Same(use.Source, keySource))
                    {
                        return use.What;
                    }
                }
            }
        }

        if (keySource.StartsWith("local:", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var app in AppRedis(cancellationToken))
        {
            if (Same(app.Source, keySource) && !(app.Tree == root.Syntax.SyntaxTree && root.Syntax.Span.Contains(app.Span)))
            {
                return app.What + " in '" + app.Method + "'";
            }
        }

        return null;
    }

    private string? Source(IOperation value, int depth, CancellationToken cancellationToken)
    {
        value = Unwrap(value);
        switch (value)
        {
            case ILocalReferenceOperation local:
                if (local.Local.DeclaringSyntaxReferences.Length == 1 &&
                    value.SemanticModel?.GetOperation(local.Local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken), cancellationToken) is
                        IVariableDeclaratorOperation { Initializer.Value: { } initializer } &&
                    Unwrap(initializer) is IInvocationOperation { TargetMethod.Name: "Connect" or "ConnectAsync", Arguments.Length: > 0 } connection &&
                    Source(connection.Arguments[0].Value, depth, cancellationToken) is { } connected)
                {
                    return connected;
                }

                return "local:" + local.Local.Name;
            case IFieldReferenceOperation field:
                if (depth < MaxDepth)
                {
                    foreach (var written in _index.WrittenValues(field.Field, cancellationToken))
                    {
                        if (Source(written, depth + 1, cancellationToken) is { } writtenSource && !writtenSource.StartsWith("local:", StringComparison.Ordinal))
                        {
                            return writtenSource;
                        }
                    }
                }

                return "member:" + DocumentationCommentId.CreateDeclarationId(field.Field.OriginalDefinition);
            case IPropertyReferenceOperation { Property.IsIndexer: false } property when IsMultiplexer(property.Type):
                foreach (var reference in property.Property.OriginalDefinition.DeclaringSyntaxReferences)
                {
                    if (depth < MaxDepth && reference.GetSyntax(cancellationToken) is PropertyDeclarationSyntax { Initializer.Value: { } propertyInitializer } &&
                        _compilation.ContainsSyntaxTree(propertyInitializer.SyntaxTree) &&
                        _compilation.GetSemanticModel(propertyInitializer.SyntaxTree).GetOperation(propertyInitializer, cancellationToken) is { } initial &&
                        Source(initial, depth + 1, cancellationToken) is { } initialSource)
                    {
                        return initialSource;
                    }
                }

                return "member:" + DocumentationCommentId.CreateDeclarationId(property.Property.OriginalDefinition);
            case IParameterReferenceOperation parameter when depth < MaxDepth:
                // The callers' arguments: AddKeys(services, redis) called with a multiplexer connected from configuration.
                foreach (var argument in _index.ArgumentsFor(parameter.Parameter, cancellationToken))
                {
                    if (Source(argument, depth + 1, cancellationToken) is { } passed && !passed.StartsWith("local:", StringComparison.Ordinal))
                    {
                        return passed;
                    }
                }

                return null;
            case IAwaitOperation awaited:
                return Source(awaited.Operation, depth, cancellationToken);
            case ICoalesceOperation coalesce:
                // config["Redis"] ?? "localhost:6379": the setting names it.
                return Source(coalesce.Value, depth, cancellationToken);
            case IInvocationOperation { TargetMethod.Name: "Connect" or "ConnectAsync" or "Parse" or "FromResult", Arguments.Length: > 0 } connect:
                return Source(connect.Arguments[0].Value, depth, cancellationToken);
            case IInvocationOperation { TargetMethod.Name: "GetConnectionString", Arguments.Length: > 0 } read
                when Unwrap(read.Arguments[read.Arguments.Length - 1].Value).ConstantValue is { HasValue: true, Value: string name }:
                return "config:ConnectionStrings:" + name;
            case IInvocationOperation { TargetMethod.Name: "GetValue", Arguments.Length: > 0 } read
                when Unwrap(read.Arguments[read.Arguments.Length - 1].Value).ConstantValue is { HasValue: true, Value: string key }:
                return "config:" + key;
            case IInvocationOperation { TargetMethod: { Name: "GetRequiredService" or "GetService", TypeArguments.Length: 1 } resolve }
                when IsMultiplexer(resolve.TypeArguments[0]):
                return "di:IConnectionMultiplexer";
            case IInvocationOperation helper when depth < MaxDepth && !helper.TargetMethod.DeclaringSyntaxReferences.IsEmpty &&
                                                  (helper.Type?.SpecialType == SpecialType.System_String || IsMultiplexer(helper.Type)):
                // A helper of the app that returns the connection string or the multiplexer.
                foreach (var returned in _index.ReturnedValues(helper.TargetMethod, cancellationToken))
                {
                    if (Source(returned, depth + 1, cancellationToken) is { } returnedSource && !returnedSource.StartsWith("local:", StringComparison.Ordinal))
                    {
                        return returnedSource;
                    }
                }

                return null;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when Unwrap(indexer.Arguments[0].Value).ConstantValue is { HasValue: true, Value: string key }:
                return "config:" + key;
            case IAnonymousFunctionOperation lambda:
                // () => multiplexer.GetDatabase(); sp => ConnectionMultiplexer.Connect(...); () => Task.FromResult(multiplexer)
                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "GetDatabase", Instance: { } instance })
                    {
                        return Source(instance, depth, cancellationToken);
                    }
                }

                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IReturnOperation { ReturnedValue: { } result } && Source(result, depth, cancellationToken) is { } resultSource)
                    {
                        return resultSource;
                    }
                }

                return null;
            case IDelegateCreationOperation creation:
                return Source(creation.Target, depth, cancellationToken);
            default:
                return value.ConstantValue is { HasValue: true, Value: string text } ? "text:" + text : null;
        }
    }

    /// <summary>
    /// How an invocation makes the app use a Redis: <c>AddStackExchangeRedisCache</c> whose <c>Configuration</c>,
    /// <c>ConfigurationOptions</c> or <c>ConnectionMultiplexerFactory</c> names it, or a multiplexer registered for the
    /// app (<c>AddSingleton&lt;IConnectionMultiplexer&gt;(...)</c>, <c>AddSingleton(multiplexer)</c>, which also makes the
    /// multiplexer the one dependency injection resolves), or a local registered as a service (in its own method).
    /// </summary>
    private IEnumerable<Use> Uses(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "AddStackExchangeRedisCache")
        {
            foreach (var inner in invocation.DescendantsAndSelf())
            {
                if (inner is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Configuration" or "ConfigurationOptions" or "ConnectionMultiplexerFactory" } } assignment &&
                    Source(assignment.Value, cancellationToken) is { } source)
                {
                    yield return new Use(source, "AddStackExchangeRedisCache");
                }
            }
        }
        else if (method.Name is "AddSingleton" or "TryAddSingleton" && invocation.Arguments.Length >= 2)
        {
            var value = invocation.Arguments[invocation.Arguments.Length - 1].Value;
            var registersMultiplexer = method.TypeArguments.Length >= 1 && IsMultiplexer(method.TypeArguments[0]) ||
                                       method.TypeArguments.Length == 0 && IsMultiplexer(Unwrap(value).Type);
            if (registersMultiplexer)
            {
                if (Source(value, cancellationToken) is { } source && !source.StartsWith("local:", StringComparison.Ordinal))
                {
                    yield return new Use(source, "the IConnectionMultiplexer the app registers");
                }

                yield return new Use("di:IConnectionMultiplexer", "the IConnectionMultiplexer the app registers");
            }

            if (Unwrap(value) is ILocalReferenceOperation local)
            {
                yield return new Use("local:" + local.Local.Name, "the multiplexer the app registers for its own use");
            }
        }
    }

    /// <summary>The app's Redis in the whole compilation, found once.</summary>
    private IReadOnlyList<AppUse> AppRedis(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _appRedis) is { } found)
        {
            return found;
        }

        var uses = new List<AppUse>();
        foreach (var tree in _compilation.SyntaxTrees)
        {
            var candidates = Candidates.GetValue(tree, t => FindCandidates(t, cancellationToken));
            if (candidates.Count == 0)
            {
                continue;
            }

            var model = _compilation.GetSemanticModel(tree);
            foreach (var candidate in candidates)
            {
                if (model.GetOperation(candidate, cancellationToken) is not IInvocationOperation invocation)
                {
                    continue;
                }

                foreach (var use in Uses(invocation, cancellationToken))
                {
                    if (!use.Source.StartsWith("local:", StringComparison.Ordinal))
                    {
                        var member = model.GetEnclosingSymbol(candidate.SpanStart, cancellationToken);
                        while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } inner)
                        {
                            member = inner.ContainingSymbol;
                        }

                        uses.Add(new AppUse(use.Source, use.What, tree, candidate.Span, member is null ? "" : member.ContainingType?.Name + "." + member.Name));
                    }
                }
            }
        }

        Interlocked.CompareExchange(ref _appRedis, uses, null);
        return _appRedis!;
    }

    private static List<InvocationExpressionSyntax> FindCandidates(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var found = new List<InvocationExpressionSyntax>();
        var text = SourceTexts.Of(tree, cancellationToken);
        if (text.IndexOf("AddStackExchangeRedisCache", StringComparison.Ordinal) < 0 && text.IndexOf("Multiplexer", StringComparison.Ordinal) < 0)
        {
            return found;
        }

        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            if (node is InvocationExpressionSyntax invocation && SyntaxNames.Last(invocation.Expression) is "AddStackExchangeRedisCache" or "AddSingleton" or "TryAddSingleton")
            {
                found.Add(invocation);
            }
        }

        return found;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static bool IsMultiplexer(ITypeSymbol? type) => type?.Name.IndexOf("Multiplexer", StringComparison.Ordinal) >= 0;

    /// <summary>Configuration keys are compared without case, as configuration reads them.</summary>
    private static bool Same(string a, string b) =>
        a.StartsWith("config:", StringComparison.Ordinal) && b.StartsWith("config:", StringComparison.Ordinal)
            ? string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
            : string.Equals(a, b, StringComparison.Ordinal);

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private sealed class Use
    {
        public Use(string source, string what)
        {
            Source = source;
            What = what;
        }

        public string Source { get; }

        public string What { get; }
    }

    private sealed class AppUse
    {
        public AppUse(string source, string what, SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span, string method)
        {
            Source = source;
            What = what;
            Tree = tree;
            Span = span;
            Method = method;
        }

        public string Source { get; }

        public string What { get; }

        public SyntaxTree Tree { get; }

        public Microsoft.CodeAnalysis.Text.TextSpan Span { get; }

        public string Method { get; }
    }
}
