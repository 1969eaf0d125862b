using System;
using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA204: keys kept where the PHI is, or kept in plain text. ASP.NET Core Data Protection keys persisted with
/// <c>PersistKeysToDbContext&lt;T&gt;</c> where <c>T</c> also stores PHI entities; with
/// <c>PersistKeysToStackExchangeRedis</c> on the same multiplexer, connection string or configuration key as the app's
/// Redis cache; a key ring persisted (<c>PersistKeysTo*</c>) with no <c>ProtectKeysWith*</c> in the same method, so
/// the keys are stored unencrypted; and the runtime's key ring file (<c>UseFileKeyRing</c>, <c>FileKeyRingProvider</c>)
/// or master key file under the app's content root, where it is deployed, copied and backed up with the app.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA204KeysStoredBesidePhiAnalyzer : DiagnosticAnalyzer
{
    private const string DataProtectionNamespace = "Microsoft.AspNetCore.DataProtection";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.KeysStoredBesidePhi);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Only the references' names at compilation start (a type lookup there would build the declaration table of
            // every file before the edited one is bound); the builder type is resolved on the first PersistKeysTo* call.
            var compilation = start.Compilation;
            bool dataProtection = ReferencedAssemblies.ContainsPrefix(compilation, DataProtectionNamespace);
            bool runtime = ReferencedAssemblies.Contains(compilation, "HipaaAnalyzers.Runtime");

            if (!dataProtection && !runtime && !compilation.Assembly.Name.StartsWith("HipaaAnalyzers.Runtime", StringComparison.Ordinal))
            {
                return;
            }

            var builder = new Lazy<INamedTypeSymbol?>(
                () => compilation.GetTypeByMetadataName(DataProtectionNamespace + ".IDataProtectionBuilder"), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            var phi = PhiCompilationContext.For(compilation);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, phi, builder), OperationKind.Invocation);
            start.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, PhiCompilationContext phi, Lazy<INamedTypeSymbol?> builder)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name == "UseFileKeyRing" && method.ContainingType?.Name == "HipaaKeysBuilder" && invocation.Arguments.Length > 0)
        {
            CheckKeyFilePath(context, invocation.Arguments[0].Value, "the key ring file");
            return;
        }

        if (!method.Name.StartsWith("PersistKeysTo", StringComparison.Ordinal) || builder.Value is not { } dataProtection ||
            !SymbolEqualityComparer.Default.Equals(method.ReturnType, dataProtection))
        {
            return;
        }

        string? besidePhi = null;
        if (method.Name == "PersistKeysToDbContext" && method.TypeArguments.Length == 1 && method.TypeArguments[0] is INamedTypeSymbol keyContext)
        {
            var model = phi.GetModel(context.Options, invocation.Syntax.SyntaxTree);
            if (StoredPhi(keyContext, model) is { } reason)
            {
                besidePhi = $"in '{keyContext.Name}', the database that also stores PHI ({reason.What})";
            }
        }
        else if (method.Name == "PersistKeysToStackExchangeRedis" && RedisArgument(invocation) is { } redis &&
                 RedisSource(redis) is { } keySource &&
                 FindCacheOnSameRedis(invocation, keySource) is { } cache)
        {
            besidePhi = $"in the same Redis as the app's cache ({cache}), where the app keeps its data";
        }

        var unprotected = !HasProtection(invocation);
        if (besidePhi is null && !unprotected)
        {
            return;
        }

        var message = besidePhi is not null
            ? $"Data Protection keys are persisted with '{method.Name}' {besidePhi}" + (unprotected ? ", and without a ProtectKeysWith* call, so in plain text" : "") +
              ": one breach yields the keys with the data they protect"
            : $"Data Protection keys are persisted with '{method.Name}' without a ProtectKeysWith* call: the key ring is stored in plain text at rest";
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.KeysStoredBesidePhi, invocation.Syntax.GetLocation(), message));
    }

    /// <summary>The multiplexer or database factory passed to <c>PersistKeysToStackExchangeRedis</c> (not the builder it extends).</summary>
    private static IOperation? RedisArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && !(invocation.TargetMethod.IsExtensionMethod && parameter.Ordinal == 0) &&
                parameter.Type.SpecialType != SpecialType.System_String)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary><c>new FileKeyRingProvider(path, ...)</c>; <c>new LocalMasterKey(File.ReadAllBytes(path))</c>.</summary>
    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol { ContainingNamespace: { } ns } type || ns.ToDisplayString() != "HipaaAnalyzers.Runtime" ||
            creation.Arguments.Length == 0)
        {
            return;
        }

        if (type.Name == "FileKeyRingProvider")
        {
            CheckKeyFilePath(context, creation.Arguments[0].Value, "the key ring file");
        }
        else if (type.Name == "LocalMasterKey" && FileRead(creation.Arguments[0].Value) is { } path)
        {
            CheckKeyFilePath(context, path, "the master key file");
        }
    }

    /// <summary>The path argument of <c>File.ReadAllBytes</c> / <c>File.ReadAllText</c>, also inside <c>Convert.FromBase64String</c>.</summary>
    private static IOperation? FileRead(IOperation value)
    {
        value = Unwrap(value);
        if (value is IInvocationOperation { TargetMethod: { Name: "FromBase64String" or "FromHexString" }, Arguments.Length: 1 } decode)
        {
            value = Unwrap(decode.Arguments[0].Value);
        }

        return value is IInvocationOperation { TargetMethod: { Name: "ReadAllBytes" or "ReadAllText", ContainingType.Name: "File" }, Arguments.Length: >= 1 } read
            ? read.Arguments[0].Value
            : null;
    }

    /// <summary>A relative path, or one built from the content root, web root or application folder: deployed and backed up with the app.</summary>
    private static void CheckKeyFilePath(OperationAnalysisContext context, IOperation path, string what)
    {
        path = Unwrap(path);
        string? why = null;
        if (path.ConstantValue is { HasValue: true, Value: string text } && text.Length > 0 && !IsRooted(text))
        {
            why = $"'{text}' is relative, so it lies under the app's content root";
        }
        else
        {
            foreach (var operation in path.DescendantsAndSelf())
            {
                if (operation is IPropertyReferenceOperation { Property.Name: "ContentRootPath" or "WebRootPath" or "BaseDirectory" } ||
                    operation is IInvocationOperation { TargetMethod.Name: "GetCurrentDirectory" })
                {
                    why = "it is built from the app's own folder";
                    break;
                }
            }
        }

        if (why is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.KeysStoredBesidePhi, path.Syntax.GetLocation(),
                $"The path of {what} is under the app's content root ({why}): the keys are deployed, copied and backed up with the app; keep them in a separate, access-controlled location or a key store"));
        }
    }

    private static bool IsRooted(string path) =>
        path.StartsWith("/", StringComparison.Ordinal) || path.StartsWith("\\", StringComparison.Ordinal) ||
        path.Length >= 2 && path[1] == ':' || path.StartsWith("~", StringComparison.Ordinal) || path.StartsWith("%", StringComparison.Ordinal) ||
        path.StartsWith("$", StringComparison.Ordinal);

    /// <summary>A PHI reason of an entity the DbContext (or a base of it) exposes as a <c>DbSet&lt;T&gt;</c>.</summary>
    private static PhiReason? StoredPhi(INamedTypeSymbol keyContext, PhiModel model)
    {
        for (var type = keyContext; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IPropertySymbol { Type: INamedTypeSymbol { Name: "DbSet", TypeArguments.Length: 1 } set } &&
                    set.TypeArguments[0] is INamedTypeSymbol entity && entity.Name != "DataProtectionKey" &&
                    model.GetColumnPhi(entity) is { } reason)
                {
                    return reason;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a <c>ProtectKeysWith*</c> call protects the key ring: in the same fluent chain, or anywhere in the same
    /// method (a builder kept in a local and configured over several statements).
    /// </summary>
    private static bool HasProtection(IInvocationOperation persist)
    {
        var root = (IOperation)persist;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: var name } && name.StartsWith("ProtectKeysWith", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What names the Redis a value connects to: the local, field or property holding a multiplexer, or the text of a
    /// connection string or the configuration key it is read from ("ConnectionStrings:Redis").
    /// </summary>
    private static string? RedisSource(IOperation value)
    {
        value = Unwrap(value);
        switch (value)
        {
            case ILocalReferenceOperation local:
                if (local.Local.DeclaringSyntaxReferences.Length == 1 &&
                    value.SemanticModel?.GetOperation(local.Local.DeclaringSyntaxReferences[0].GetSyntax()) is IVariableDeclaratorOperation { Initializer.Value: { } initializer } &&
                    Unwrap(initializer) is IInvocationOperation { TargetMethod.Name: "Connect" or "ConnectAsync", Arguments.Length: > 0 } connection &&
                    RedisSource(connection.Arguments[0].Value) is { } source)
                {
                    return source;
                }

                return "local:" + local.Local.Name;
            case IFieldReferenceOperation field:
                return "member:" + field.Field.Name;
            case IPropertyReferenceOperation { Property.IsIndexer: false } property when property.Type?.Name.IndexOf("Multiplexer", StringComparison.Ordinal) >= 0:
                return "member:" + property.Property.Name;
            case IAwaitOperation awaited:
                return RedisSource(awaited.Operation);
            case IInvocationOperation { TargetMethod.Name: "Connect" or "ConnectAsync", Arguments.Length: > 0 } connect:
                return RedisSource(connect.Arguments[0].Value);
            case IInvocationOperation { TargetMethod.Name: "GetConnectionString", Arguments.Length: > 0 } read
                when Unwrap(read.Arguments[read.Arguments.Length - 1].Value).ConstantValue is { HasValue: true, Value: string name }:
                return "config:ConnectionStrings:" + name;
            case IInvocationOperation { TargetMethod.Name: "GetValue", Arguments.Length: > 0 } read
                when Unwrap(read.Arguments[read.Arguments.Length - 1].Value).ConstantValue is { HasValue: true, Value: string key }:
                return "config:" + key;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when Unwrap(indexer.Arguments[0].Value).ConstantValue is { HasValue: true, Value: string key }:
                return "config:" + key;
            case IAnonymousFunctionOperation lambda:
                // () => multiplexer.GetDatabase()
                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "GetDatabase", Instance: { } instance })
                    {
                        return RedisSource(instance);
                    }
                }

                return null;
            case IDelegateCreationOperation creation:
                return RedisSource(creation.Target);
            default:
                return value.ConstantValue is { HasValue: true, Value: string text } ? "text:" + text : null;
        }
    }

    /// <summary>
    /// The app's Redis cache on the same Redis, in the same method: <c>AddStackExchangeRedisCache</c> whose
    /// <c>Configuration</c> or <c>ConnectionMultiplexerFactory</c> names the same source, or a multiplexer registered for
    /// the app (<c>AddSingleton&lt;IConnectionMultiplexer&gt;(...)</c>) from it.
    /// </summary>
    private static string? FindCacheOnSameRedis(IInvocationOperation persist, string keySource)
    {
        var root = (IOperation)persist;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is not IInvocationOperation invocation || invocation == persist)
            {
                continue;
            }

            var name = invocation.TargetMethod.Name;
            if (name == "AddStackExchangeRedisCache")
            {
                foreach (var inner in invocation.DescendantsAndSelf())
                {
                    if (inner is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Configuration" or "ConnectionMultiplexerFactory" } } assignment &&
                        RedisSource(assignment.Value) is { } source && Same(source, keySource))
                    {
                        return "AddStackExchangeRedisCache";
                    }
                }
            }
            else if (name is "AddSingleton" && invocation.TargetMethod.TypeArguments.Length >= 1 &&
                     invocation.TargetMethod.TypeArguments[0].Name == "IConnectionMultiplexer" && invocation.Arguments.Length >= 2 &&
                     RedisSource(invocation.Arguments[invocation.Arguments.Length - 1].Value) is { } registered && Same(registered, keySource) &&
                     !keySource.StartsWith("local:", StringComparison.Ordinal))
            {
                return "the IConnectionMultiplexer the app registers";
            }
            else if (name is "AddSingleton" && invocation.Arguments.Length >= 2 &&
                     Unwrap(invocation.Arguments[invocation.Arguments.Length - 1].Value) is ILocalReferenceOperation registeredLocal &&
                     keySource == "local:" + registeredLocal.Local.Name)
            {
                return "the multiplexer the app registers for its own use";
            }
        }

        return null;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
