using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// Masking a team configured for objects its logging library destructures, so a masked member is not reported as
/// leaked when the whole object is logged (<c>{@Patient}</c>, <c>[LogProperties]</c>):
/// <list type="bullet">
/// <item>attributes, matched by name so the packages need not be referenced: Destructurama.Attributed's
/// <c>[NotLogged]</c>, <c>[LogMasked]</c>, <c>[LogReplaced]</c> and <c>[LogAsScalar(isMask: true)]</c>, and
/// Microsoft.Extensions.Telemetry's <c>[LogPropertyIgnore]</c>;</item>
/// <item>Serilog configuration: <c>.Destructure.ByIgnoringProperties&lt;Patient&gt;(p =&gt; p.Ssn, ...)</c> (Destructurama.ByIgnoring)
/// and the properties Serilog.Enrichers.Sensitive always masks (<c>WithSensitiveDataMasking(o =&gt; o.MaskProperties.Add("Ssn"))</c>).</item>
/// </list>
/// <c>[NotLoggedIfNull]</c> and <c>[NotLoggedIfDefault]</c> are not masking: they leave out a member only when it holds
/// nothing, and log it whenever it holds PHI.
/// </summary>
internal sealed class LoggingMasks
{
    private readonly HashSet<(string Type, string Member)> _ignoredMembers;
    private readonly HashSet<string> _maskedNames;

    private LoggingMasks(HashSet<(string, string)> ignoredMembers, HashSet<string> maskedNames)
    {
        _ignoredMembers = ignoredMembers;
        _maskedNames = maskedNames;
    }

    /// <summary>
    /// The masks configured anywhere in the compilation. Each file is searched once for the two configuration calls by
    /// its text, and walked only when it names one; an unchanged file keeps its result across compilations.
    /// </summary>
    public static LoggingMasks Collect(Compilation compilation, CancellationToken cancellationToken)
    {
        var ignored = new HashSet<(string, string)>();
        var masked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var scan = TreeScan.For(tree, cancellationToken);
            foreach (var pair in scan.IgnoredMembers)
            {
                ignored.Add(pair);
            }

            foreach (var name in scan.MaskedNames)
            {
                masked.Add(name);
            }
        }

        return new LoggingMasks(ignored, masked);
    }

    /// <summary>Would a logging library leave this member of <paramref name="owner"/> out of a destructured object, or mask it?</summary>
    public bool IsMasked(ISymbol member, ITypeSymbol owner)
    {
        if (IsMaskedByAttribute(member) || _maskedNames.Contains(member.Name))
        {
            return true;
        }

        if (_ignoredMembers.Count == 0)
        {
            return false;
        }

        for (var t = owner; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (_ignoredMembers.Contains((t.Name, member.Name)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>[LogAsScalar]</c> without masking: the member is formatted with its ToString, not destructured.</summary>
    public static bool IsLoggedAsScalar(ISymbol member)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "LogAsScalarAttribute")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMaskedByAttribute(ISymbol member)
    {
        foreach (var attribute in member.GetAttributes())
        {
            switch (attribute.AttributeClass?.Name)
            {
                case "NotLoggedAttribute":
                case "LogMaskedAttribute":
                case "LogReplacedAttribute":
                case "LogPropertyIgnoreAttribute":
                    return true;
                case "LogAsScalarAttribute":
                    if (IsMaskArgument(attribute))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary><c>[LogAsScalar(true)]</c> or <c>[LogAsScalar(isMask: true)]</c>.</summary>
    private static bool IsMaskArgument(AttributeData attribute)
    {
        foreach (var argument in attribute.ConstructorArguments)
        {
            if (argument.Value is true)
            {
                return true;
            }
        }

        foreach (var named in attribute.NamedArguments)
        {
            if (named.Value.Value is true && named.Key.Equals("isMask", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one file configures, from syntax alone, cached per tree.</summary>
    private sealed class TreeScan
    {
        private static readonly ConditionalWeakTable<SyntaxTree, TreeScan> Cache = new();
        private static readonly TreeScan Empty = new(ImmutableArray<(string, string)>.Empty, ImmutableArray<string>.Empty);

        private TreeScan(ImmutableArray<(string, string)> ignoredMembers, ImmutableArray<string> maskedNames)
        {
            IgnoredMembers = ignoredMembers;
            MaskedNames = maskedNames;
        }

        public ImmutableArray<(string, string)> IgnoredMembers { get; }
        public ImmutableArray<string> MaskedNames { get; }

        public static TreeScan For(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (Cache.TryGetValue(tree, out var cached))
            {
                return cached;
            }

            var scan = Create(tree, cancellationToken);
            return Cache.GetValue(tree, _ => scan);
        }

        private static TreeScan Create(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var text = SourceTexts.Of(tree, cancellationToken);
            bool ignoring = text.IndexOf("ByIgnoringProperties", StringComparison.Ordinal) >= 0;
            bool sensitive = text.IndexOf("WithSensitiveDataMasking", StringComparison.Ordinal) >= 0;
            if (!ignoring && !sensitive)
            {
                return Empty;
            }

            var ignored = ImmutableArray.CreateBuilder<(string, string)>();
            var masked = ImmutableArray.CreateBuilder<string>();
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax invocation)
                {
                    continue;
                }

                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name,
                    SimpleNameSyntax simple => simple,
                    _ => null,
                };

                if (ignoring && name is GenericNameSyntax { Identifier.ValueText: "ByIgnoringProperties", TypeArgumentList.Arguments.Count: 1 } generic)
                {
                    var typeName = SimpleTypeName(generic.TypeArgumentList.Arguments[0]);
                    foreach (var argument in invocation.ArgumentList.Arguments)
                    {
                        if (typeName is not null && LambdaMember(argument.Expression) is { } member)
                        {
                            ignored.Add((typeName, member));
                        }
                    }
                }
                else if (sensitive && name?.Identifier.ValueText == "WithSensitiveDataMasking")
                {
                    // The property names the enricher always masks: every identifier-like string literal in its options.
                    foreach (var literal in invocation.ArgumentList.DescendantNodes())
                    {
                        if (literal is LiteralExpressionSyntax { Token.Value: string value } && IdentifierWords.IsIdentifier(value))
                        {
                            masked.Add(value);
                        }
                    }
                }
            }

            return new TreeScan(ignored.ToImmutable(), masked.ToImmutable());
        }

        private static string? SimpleTypeName(TypeSyntax type) => type switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };

        /// <summary><c>p =&gt; p.Ssn</c>: "Ssn".</summary>
        private static string? LambdaMember(ExpressionSyntax expression)
        {
            var body = expression switch
            {
                SimpleLambdaExpressionSyntax simple => simple.Body,
                ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.Body,
                _ => null,
            };

            while (body is CastExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                body = body is CastExpressionSyntax cast ? cast.Expression : ((ParenthesizedExpressionSyntax)body).Expression;
            }

            return body is MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText : null;
        }
    }
}
