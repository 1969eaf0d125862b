using System;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.Configuration;

/// <summary>
/// Whether code runs only in development: inside <c>if (env.IsDevelopment())</c> (or the <c>else</c> of
/// <c>if (!env.IsDevelopment())</c> / <c>if (env.IsProduction())</c>), after <c>if (!env.IsDevelopment()) return;</c>,
/// under <c>#if DEBUG</c>, in a <c>[Conditional("DEBUG")]</c> method, or behind a configuration flag (a value read from
/// <c>IConfiguration</c>, or a flag named like a debug or development switch), which defaults off. Syntax only, and only
/// asked for the few calls a rule is about to report.
/// </summary>
internal static class DevelopmentGuards
{
    private enum Polarity
    {
        Unknown,

        /// <summary>True only in development (or when a flag turns it on).</summary>
        Development,

        /// <summary>True outside development.</summary>
        NotDevelopment,
    }

    public static bool IsGuarded(SyntaxNode node, ISymbol? containingSymbol)
    {
        if (containingSymbol is IMethodSymbol method && IsDebugConditional(method))
        {
            return true;
        }

        if (IsInDebugRegion(node))
        {
            return true;
        }

        for (SyntaxNode? current = node, parent = node.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IfStatementSyntax ifStatement:
                    var polarity = Classify(ifStatement.Condition);
                    if (ifStatement.Statement == current && polarity == Polarity.Development ||
                        ifStatement.Else == current && polarity == Polarity.NotDevelopment)
                    {
                        return true;
                    }

                    break;
                case ElseClauseSyntax elseClause when elseClause.Parent is IfStatementSyntax owner && Classify(owner.Condition) == Polarity.NotDevelopment:
                    return true;
                case ConditionalExpressionSyntax conditional:
                    var conditionalPolarity = Classify(conditional.Condition);
                    if (conditional.WhenTrue == current && conditionalPolarity == Polarity.Development ||
                        conditional.WhenFalse == current && conditionalPolarity == Polarity.NotDevelopment)
                    {
                        return true;
                    }

                    break;
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } conjunction when conjunction.Right == current && Classify(conjunction.Left) == Polarity.Development:
                    return true;
                case BlockSyntax block when current is StatementSyntax statement && ReturnsEarlyOutsideDevelopment(block, statement):
                    return true;
                case GlobalStatementSyntax global when global.Parent is CompilationUnitSyntax unit && ReturnsEarlyOutsideDevelopment(unit, global):
                    return true;
                case MemberDeclarationSyntax and not GlobalStatementSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// An environment check that is true only in development: <c>env.IsDevelopment()</c>,
    /// <c>env.IsEnvironment("Development")</c>, <c>env.EnvironmentName == "Development"</c>, or a conjunction with one
    /// (<c>env.IsDevelopment() &amp;&amp; verbose</c>). Unlike a configuration flag, no settings file can make it true in
    /// production.
    /// </summary>
    public static bool IsDevelopmentEnvironmentCheck(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return IsDevelopmentEnvironmentCheck(parenthesized.Expression);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } conjunction:
                return IsDevelopmentEnvironmentCheck(conjunction.Left) || IsDevelopmentEnvironmentCheck(conjunction.Right);
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsDevelopment" or "IsEnvironment" } } invocation:
                return ClassifyInvocation(invocation) == Polarity.Development;
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equality:
                return IsEnvironmentName(equality.Left) && equality.Right is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } right && IsDevelopmentName(right.Token.ValueText) ||
                       IsEnvironmentName(equality.Right) && equality.Left is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } left && IsDevelopmentName(left.Token.ValueText);
            default:
                return false;
        }
    }

    private static bool IsEnvironmentName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText == "EnvironmentName",
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == "EnvironmentName",
        _ => false,
    };

    /// <summary>An earlier <c>if (!env.IsDevelopment()) return;</c> in the same block.</summary>
    private static bool ReturnsEarlyOutsideDevelopment(SyntaxNode block, SyntaxNode statement)
    {
        foreach (var child in block.ChildNodes())
        {
            if (child == statement)
            {
                return false;
            }

            var candidate = child is GlobalStatementSyntax global ? global.Statement : child;
            if (candidate is IfStatementSyntax { Else: null } ifStatement && Exits(ifStatement.Statement) &&
                Classify(ifStatement.Condition) == Polarity.NotDevelopment)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Exits(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax => true,
        BlockSyntax { Statements.Count: > 0 } block => block.Statements[block.Statements.Count - 1] is ReturnStatementSyntax or ThrowStatementSyntax,
        _ => false,
    };

    private static Polarity Classify(ExpressionSyntax condition)
    {
        switch (condition)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Classify(parenthesized.Expression);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not:
                return Negate(Classify(not.Operand));
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression):
                var left = Classify(binary.Left);
                var right = Classify(binary.Right);
                if (binary.IsKind(SyntaxKind.LogicalAndExpression))
                {
                    return left == Polarity.Development || right == Polarity.Development ? Polarity.Development : Polarity.Unknown;
                }

                return left == Polarity.NotDevelopment || right == Polarity.NotDevelopment ? Polarity.NotDevelopment : Polarity.Unknown;
            case BinaryExpressionSyntax equality when equality.IsKind(SyntaxKind.EqualsExpression) || equality.IsKind(SyntaxKind.NotEqualsExpression):
                var polarity = Compared(equality.Left, equality.Right);
                if (polarity == Polarity.Unknown)
                {
                    polarity = Compared(equality.Right, equality.Left);
                }

                return equality.IsKind(SyntaxKind.NotEqualsExpression) ? Negate(polarity) : polarity;
            case InvocationExpressionSyntax invocation:
                return ClassifyInvocation(invocation);
            case IsPatternExpressionSyntax pattern:
                return pattern.Pattern is ConstantPatternSyntax { Expression: LiteralExpressionSyntax literal }
                    ? Compared(pattern.Expression, literal)
                    : Polarity.Unknown;
            case IdentifierNameSyntax or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax:
                return ClassifyName(condition);
            default:
                return Polarity.Unknown;
        }
    }

    /// <summary><c>env.EnvironmentName == "Development"</c>, <c>flag == true</c>, <c>config["X"] == "true"</c>.</summary>
    private static Polarity Compared(ExpressionSyntax value, ExpressionSyntax other)
    {
        if (other is LiteralExpressionSyntax literal)
        {
            if (literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                // "Development" names the environment; "true" or "on" turns a configuration flag on; anything else
                // ("Production", "Staging") is another environment.
                var text = literal.Token.ValueText;
                return IsDevelopmentName(text) || text.ToLowerInvariant() is "true" or "1" or "yes" or "on" or "enabled"
                    ? Polarity.Development
                    : Polarity.NotDevelopment;
            }

            if (literal.IsKind(SyntaxKind.TrueLiteralExpression))
            {
                return Classify(value);
            }

            if (literal.IsKind(SyntaxKind.FalseLiteralExpression))
            {
                return Negate(Classify(value));
            }
        }

        return Polarity.Unknown;
    }

    private static Polarity ClassifyInvocation(InvocationExpressionSyntax invocation)
    {
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            _ => string.Empty,
        };
        if (invocation.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax genericMember })
        {
            name = genericMember.Identifier.ValueText;
        }

        switch (name)
        {
            case "IsDevelopment":
                return Polarity.Development;
            case "IsProduction" or "IsStaging":
                return Polarity.NotDevelopment;
            case "IsEnvironment":
                return invocation.ArgumentList.Arguments.Count > 0 &&
                       invocation.ArgumentList.Arguments[invocation.ArgumentList.Arguments.Count - 1].Expression is LiteralExpressionSyntax environment
                    ? IsDevelopmentName(environment.Token.ValueText) ? Polarity.Development : Polarity.NotDevelopment
                    : Polarity.Unknown;
            case "GetValue" or "GetSection" or "GetConnectionString" or "GetBoolean" or "IsEnabled" or "IsEnabledAsync":
                // A configuration value or feature flag: off unless someone turns it on.
                return Polarity.Development;
            default:
                return ClassifyWords(name);
        }
    }

    private static Polarity ClassifyName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => ClassifyWords(identifier.Identifier.ValueText),
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText == "IsAttached" ? Polarity.Development : ClassifyWords(member.Name.Identifier.ValueText),
        ElementAccessExpressionSyntax => Polarity.Development,
        _ => Polarity.Unknown,
    };

    /// <summary>isDevelopment, _debugMode, EnableSensitiveLogging, UseDetailedErrors: switches that are off in production.</summary>
    private static Polarity ClassifyWords(string name)
    {
        foreach (var word in IdentifierWords.Split(name))
        {
            switch (word)
            {
                case "dev" or "development" or "debug" or "debugging" or "local" or "sensitive" or "detailed" or "verbose" or "diagnostic" or "diagnostics":
                    return Polarity.Development;
                case "prod" or "production" or "staging" or "release":
                    return Polarity.NotDevelopment;
            }
        }

        return Polarity.Unknown;
    }

    private static bool IsDevelopmentName(string environment) =>
        environment.Equals("Development", StringComparison.OrdinalIgnoreCase) || environment.Equals("Dev", StringComparison.OrdinalIgnoreCase) ||
        environment.Equals("Local", StringComparison.OrdinalIgnoreCase);

    private static Polarity Negate(Polarity polarity) => polarity switch
    {
        Polarity.Development => Polarity.NotDevelopment,
        Polarity.NotDevelopment => Polarity.Development,
        _ => Polarity.Unknown,
    };

    private static bool IsDebugConditional(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "ConditionalAttribute" && attribute.ConstructorArguments.Length == 1 &&
                attribute.ConstructorArguments[0].Value is string symbol && symbol.IndexOf("DEBUG", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inside an <c>#if</c> whose condition names DEBUG or DEVELOPMENT (and is not negated), up to its #else or #endif.</summary>
    private static bool IsInDebugRegion(SyntaxNode node)
    {
        if (node.SyntaxTree.GetRoot() is not CompilationUnitSyntax root || !root.ContainsDirectives)
        {
            return false;
        }

        var position = node.SpanStart;
        var stack = new System.Collections.Generic.Stack<bool>();
        for (var directive = root.GetFirstDirective(); directive is not null && directive.SpanStart < position; directive = directive.GetNextDirective())
        {
            switch (directive)
            {
                case IfDirectiveTriviaSyntax ifDirective:
                    stack.Push(IsDebugCondition(ifDirective.Condition));
                    break;
                case ElifDirectiveTriviaSyntax elif when stack.Count > 0:
                    stack.Pop();
                    stack.Push(IsDebugCondition(elif.Condition));
                    break;
                case ElseDirectiveTriviaSyntax when stack.Count > 0:
                    stack.Pop();
                    stack.Push(false);
                    break;
                case EndIfDirectiveTriviaSyntax when stack.Count > 0:
                    stack.Pop();
                    break;
            }
        }

        foreach (var debug in stack)
        {
            if (debug)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDebugCondition(ExpressionSyntax condition) => condition switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText is "DEBUG" or "DEVELOPMENT" or "DEV",
        ParenthesizedExpressionSyntax parenthesized => IsDebugCondition(parenthesized.Expression),
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } conjunction => IsDebugCondition(conjunction.Left) || IsDebugCondition(conjunction.Right),
        _ => false,
    };
}
