using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using static HipaaAnalyzers.Secrets.SecretFixData.KeyInSql;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA203: SQL text that reaches a command carries the key of a database encryption function
/// (<c>pgp_sym_encrypt</c>, <c>pgp_sym_decrypt</c>, <c>pgp_pub_decrypt</c>, <c>encrypt</c> / <c>decrypt</c>,
/// <c>ENCRYPTBYPASSPHRASE</c>, <c>AES_ENCRYPT</c> ...) as a literal, or concatenated, interpolated or formatted into
/// it. Commands: ADO.NET command constructors and <c>CommandText</c>, Dapper-style extension methods on
/// <c>IDbConnection</c>, and EF Core's <c>FromSqlRaw</c>, <c>ExecuteSqlRaw(Async)</c> and <c>SqlQueryRaw</c>.
/// Test projects are left alone unless <c>hipaa_analyzers.secrets_in_test_projects = true</c> (see <see cref="TestProjects"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA203KeyInSqlTextAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> DapperMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Execute", "ExecuteAsync", "Query", "QueryAsync", "QueryFirst", "QueryFirstAsync", "QueryFirstOrDefault",
        "QueryFirstOrDefaultAsync", "QuerySingle", "QuerySingleAsync", "QuerySingleOrDefault", "QuerySingleOrDefaultAsync",
        "ExecuteScalar", "ExecuteScalarAsync", "ExecuteReader", "ExecuteReaderAsync", "QueryMultiple", "QueryMultipleAsync",
        "QueryUnbufferedAsync");

    private static readonly ImmutableHashSet<string> EfRawMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal, "FromSqlRaw", "ExecuteSqlRaw", "ExecuteSqlRawAsync", "SqlQueryRaw");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.KeyInSqlText);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Test projects hold throwaway credentials: the rule stays out of them unless asked in (TestProjects).
            if (!TestProjects.SecretsRulesApply(start.Compilation, start.Options))
            {
                return;
            }

            start.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
            start.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (TypeNames.Is(creation.Type, "Dapper.CommandDefinition"))
        {
            foreach (var argument in creation.Arguments)
            {
                if (argument.Parameter is { Name: "commandText", Type.SpecialType: SpecialType.System_String })
                {
                    Check(context, argument.Value, "CommandDefinition", null);
                }
            }

            return;
        }

        // The command text argument first: most objects created take none, and the type test walks every interface.
        bool commandType = false;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is { Name: "cmdText" or "commandText" or "sql" or "query", Type.SpecialType: SpecialType.System_String } &&
                (commandType || (commandType = IsCommandType(creation.Type))))
            {
                Command? command = null;
                if (HasAddWithValue(creation.Type) && DeclaredLocal(creation) is { } declared)
                {
                    command = declared;
                }

                Check(context, argument.Value, creation.Type!.Name, command);
            }
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "CommandText" } target ||
            !(IsCommandType(target.Property.ContainingType) || IsCommandType(target.Instance?.Type)))
        {
            return;
        }

        Command? command = null;
        if (target.Instance is { } instance && HasAddWithValue(instance.Type) &&
            instance is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation &&
            assignment.Parent is IExpressionStatementOperation statement)
        {
            command = new Command(instance.Syntax.ToString(), statement.Syntax);
        }

        Check(context, assignment.Value, "CommandText", command);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        string sink;
        if (DapperMethods.Contains(method.Name))
        {
            var receiver = method.IsExtensionMethod && method.Parameters.Length > 0
                ? (method.ReducedFrom ?? method).Parameters[0].Type
                : invocation.Instance?.Type;
            if (!IsConnectionType(receiver) && !(method.IsExtensionMethod && IsConnectionType(invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null)))
            {
                return;
            }

            sink = method.Name;
        }
        else if (EfRawMethods.Contains(method.Name) &&
                 TypeNames.IsInOrUnderNamespace(method.ContainingNamespace, "Microsoft.EntityFrameworkCore"))
        {
            sink = method.Name;
        }
        else
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "sql" or "commandText", Type.SpecialType: SpecialType.System_String })
            {
                Check(context, argument.Value, sink, null);
            }
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation sqlValue, string sink, Command? command)
    {
        // Cheap rejection: a constant without any encryption function name needs no further work.
        if (sqlValue.ConstantValue is { HasValue: true, Value: string constant } && !SqlKeys.MayContain(constant))
        {
            return;
        }

        var sql = SqlText.Build(sqlValue);
        var keys = SqlKeys.Find(sql);
        if (keys.Count == 0)
        {
            return;
        }

        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            var properties = ImmutableDictionary<string, string?>.Empty;
            var additional = new List<Location>();
            if (command is not null && FixLocations(sql, key, sqlValue.Syntax.SyntaxTree) is { } keySpan)
            {
                var name = UniqueName(ParameterName(key.Hole), sql.Text, usedNames);
                properties = properties
                    .Add(ParameterProperty, name)
                    .Add(CommandProperty, command.Expression);
                additional.Add(keySpan);
                additional.Add(command.Statement.GetLocation());
                if (key.Hole is not null)
                {
                    additional.Add(key.Hole.Syntax.GetLocation());
                }
                else
                {
                    properties = properties.Add(ConfigurationKeys.Property, "Database:EncryptionKey");
                }
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.KeyInSqlText, sqlValue.Syntax.GetLocation(), additional, properties, key.Function, sink));
        }
    }

    /// <summary>
    /// Where in the source the key sits, when a fix can replace it with a parameter marker: a literal of one string
    /// literal, <c>'{key}'</c> or <c>{key}</c> in an interpolated string, or <c>'" + key + "'</c> in a concatenation.
    /// </summary>
    private static Location? FixLocations(SqlText sql, EmbeddedSqlKey key, SyntaxTree tree)
    {
        int start = key.KeyStart;
        int end = key.KeyEnd;
        var text = sql.Text;
        if (key.Hole is null)
        {
            for (int i = start; i < end; i++)
            {
                if (sql.SourceOf(i) is not { } location || location.SourceTree != tree ||
                    (i > start && location.SourceSpan.Start != sql.SourceOf(start)!.SourceSpan.Start + (i - start)))
                {
                    return null;
                }
            }

            return Location.Create(tree, TextSpan.FromBounds(sql.SourceOf(start)!.SourceSpan.Start, sql.SourceOf(end - 1)!.SourceSpan.End));
        }

        var holeSyntax = key.Hole.Syntax;
        if (end - start == 1)
        {
            // {key} unquoted in an interpolated string.
            return holeSyntax.Parent is InterpolationSyntax interpolation ? interpolation.GetLocation() : null;
        }

        // '{key}' or '" + key + "': exactly a quote, the value and a quote.
        if (end - start != 3 || text[start] != '\'' || text[end - 1] != '\'' ||
            sql.SourceOf(start) is not { } open || sql.SourceOf(end - 1) is not { } close ||
            open.SourceTree != tree || close.SourceTree != tree)
        {
            return null;
        }

        var root = tree.GetRoot();
        var openToken = root.FindToken(open.SourceSpan.Start);
        var closeToken = root.FindToken(close.SourceSpan.Start);
        var common = openToken.Parent?.FirstAncestorOrSelf<SyntaxNode>(n => n.Span.Contains(closeToken.Span) && n.Span.Contains(holeSyntax.Span));
        if (common is not (InterpolatedStringExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression }))
        {
            return null;
        }

        return Location.Create(tree, TextSpan.FromBounds(open.SourceSpan.Start, close.SourceSpan.End));
    }

    /// <summary>"_options.EncryptionKey" gives "encryptionKey"; a literal key gives "key".</summary>
    private static string ParameterName(IOperation? hole)
    {
        while (hole is IConversionOperation conversion)
        {
            hole = conversion.Operand;
        }

        string? name = hole switch
        {
            ILocalReferenceOperation local => local.Local.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property => property.Property.Name,
            _ => null,
        };
        if (name is null)
        {
            return "key";
        }

        name = name.TrimStart('_');
        if (name.StartsWith("m_", StringComparison.Ordinal) || name.StartsWith("s_", StringComparison.Ordinal))
        {
            name = name.Substring(2);
        }

        return name.Length == 0 ? "key" : char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static string UniqueName(string name, string sqlText, HashSet<string> used)
    {
        var candidate = name;
        for (int i = 2; sqlText.IndexOf("@" + candidate, StringComparison.OrdinalIgnoreCase) >= 0 || !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary><c>var cmd = new XCommand(sql, conn)</c> (also with <c>using</c>): the local and its statement.</summary>
    private static Command? DeclaredLocal(IObjectCreationOperation creation)
    {
        IOperation? parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } &&
            declarator.Syntax.Parent?.Parent is { } statement &&
            (statement is LocalDeclarationStatementSyntax || statement is UsingStatementSyntax { Statement: BlockSyntax }) &&
            declarator.Syntax.Parent is VariableDeclarationSyntax { Variables.Count: 1 })
        {
            return new Command(declarator.Symbol.Name, statement);
        }

        return null;
    }

    private static bool IsCommandType(ITypeSymbol? type) =>
        type is not null &&
        (TypeNames.DerivesFrom(type, "System.Data.Common.DbCommand") ||
         TypeNames.DerivesFrom(type, "System.Data.Common.DbBatchCommand") ||
         Implements(type, "System.Data.IDbCommand"));

    private static bool IsConnectionType(ITypeSymbol? type) => type is not null && Implements(type, "System.Data.IDbConnection");

    private static bool Implements(ITypeSymbol type, string interfaceName)
    {
        if (TypeNames.Is(type, interfaceName))
        {
            return true;
        }

        foreach (var implemented in Interfaces.Of(type))
        {
            if (TypeNames.Is(implemented, interfaceName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the command's <c>Parameters</c> has <c>AddWithValue(string, object)</c> (SqlClient, Npgsql, MySqlConnector, Microsoft.Data.Sqlite).</summary>
    private static bool HasAddWithValue(ITypeSymbol? commandType)
    {
        for (var type = commandType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers("Parameters"))
            {
                if (member is IPropertySymbol { Type: { } parameters })
                {
                    foreach (var add in parameters.GetMembers("AddWithValue"))
                    {
                        if (add is IMethodSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public, Parameters.Length: 2 } method &&
                            method.Parameters[0].Type.SpecialType == SpecialType.System_String &&
                            method.Parameters[1].Type.SpecialType == SpecialType.System_Object)
                        {
                            return true;
                        }
                    }

                    return false;
                }
            }
        }

        return false;
    }

    private sealed class Command
    {
        public Command(string expression, SyntaxNode statement)
        {
            Expression = expression;
            Statement = statement;
        }

        public string Expression { get; }

        public SyntaxNode Statement { get; }
    }
}
