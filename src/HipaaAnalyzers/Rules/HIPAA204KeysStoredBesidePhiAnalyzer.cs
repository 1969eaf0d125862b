using System;
using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Persistence;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA204: keys kept where the PHI is, or kept in plain text. ASP.NET Core Data Protection keys persisted with
/// <c>PersistKeysToDbContext&lt;T&gt;</c> where <c>T</c> also stores PHI entities, or by an <c>IXmlRepository</c> that
/// holds such a DbContext; with <c>PersistKeysToStackExchangeRedis</c> on the same multiplexer, connection string or
/// configuration key as the app's Redis cache or registered multiplexer, in the same method or another one of the
/// compilation; a key ring persisted (<c>PersistKeysTo*</c>) with no <c>ProtectKeysWith*</c> in the same method, so
/// the keys are stored unencrypted; key material read from a DbContext that stores PHI (the runtime's master key, data
/// keys or key ring, the certificate that protects Data Protection's keys), and a key table (<c>DbSet&lt;MasterKey&gt;</c>)
/// on such a DbContext; and the runtime's key ring file (<c>UseFileKeyRing</c>, <c>FileKeyRingProvider</c>) or master
/// key file under the app's content root, where it is deployed, copied and backed up with the app.
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
            bool efCore = ReferencedAssemblies.Contains(compilation, "Microsoft.EntityFrameworkCore");

            if (!dataProtection && !runtime && !efCore && !compilation.Assembly.Name.StartsWith("HipaaAnalyzers.Runtime", StringComparison.Ordinal))
            {
                return;
            }

            var builder = new Lazy<INamedTypeSymbol?>(
                () => compilation.GetTypeByMetadataName(DataProtectionNamespace + ".IDataProtectionBuilder"), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            var phi = PhiCompilationContext.For(compilation);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, phi, builder), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeCreation(c, phi), OperationKind.ObjectCreation);
            if (efCore)
            {
                start.RegisterSymbolAction(c => AnalyzeKeyTable(c, phi), SymbolKind.Property);
                if (dataProtection)
                {
                    start.RegisterSymbolAction(c => AnalyzeXmlRepository(c, phi), SymbolKind.NamedType);
                }
            }
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

        // Key material handed to the runtime or to Data Protection: where it is read from.
        if (method.ContainingType is { } runtimeType && IsRuntimeType(runtimeType))
        {
            switch (method.Name)
            {
                case "FromBytes" when runtimeType.Name == "DataKey":
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter?.Name == "keyMaterial")
                        {
                            CheckKeyMaterial(context, phi, argument.Value, "data key");
                        }
                    }

                    return;
                case "Parse" when runtimeType.Name == "KeyRingFile" && invocation.Arguments.Length > 0:
                    CheckKeyMaterial(context, phi, invocation.Arguments[0].Value, "key ring");
                    return;
            }
        }

        if (method.Name is "ProtectKeysWithCertificate" or "UnprotectKeysWithAnyCertificate" && TypeNames.IsInNamespace(method.ContainingNamespace, DataProtectionNamespace))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && !(method.IsExtensionMethod && parameter.Ordinal == 0) && parameter.Type.SpecialType != SpecialType.System_String)
                {
                    CheckKeyMaterial(context, phi, argument.Value, "certificate that protects the Data Protection keys");
                }
            }

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
                 RedisStores.For(context.Compilation) is var stores &&
                 stores.Source(redis, context.CancellationToken) is { } keySource &&
                 stores.FindAppRedis(invocation, keySource, context.CancellationToken) is { } cache)
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

    /// <summary>
    /// <c>new FileKeyRingProvider(path, ...)</c>; <c>new LocalMasterKey(File.ReadAllBytes(path))</c>;
    /// <c>new LocalMasterKey(row.Key)</c> with the row read from a DbContext that stores PHI.
    /// </summary>
    private static void AnalyzeCreation(OperationAnalysisContext context, PhiCompilationContext phi)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol type || !IsRuntimeType(type) || creation.Arguments.Length == 0)
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
        else if (type.Name == "LocalMasterKey")
        {
            CheckKeyMaterial(context, phi, creation.Arguments[0].Value, "master key");
        }
    }

    private static bool IsRuntimeType(INamedTypeSymbol type) =>
        type is { ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "HipaaAnalyzers", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// Key material read from a DbContext that stores PHI (<c>db.MasterKeys.Single().Key</c>, <c>db.Set&lt;KeyMaterial&gt;()</c>,
    /// through the method's locals). A read through a key table this compilation declares on that DbContext is left
    /// to the report on the table (<see cref="AnalyzeKeyTable"/>): one finding for one place the keys are kept.
    /// </summary>
    private static void CheckKeyMaterial(OperationAnalysisContext context, PhiCompilationContext phi, IOperation value, string what)
    {
        if (KeyStores.FindDatabaseRead(value) is not { } read ||
            StoredPhi(read.Context, phi.GetModel(context.Options, value.Syntax.SyntaxTree)) is not { } reason ||
            read.Set is { } set && read.Entity is { } entity && KeyStores.IsKeyStoreEntity(entity) &&
            SymbolEqualityComparer.Default.Equals(set.ContainingAssembly, context.Compilation.Assembly) &&
            StoredPhi(set.ContainingType, phi.GetModel(context.Options, value.Syntax.SyntaxTree)) is not null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.KeysStoredBesidePhi, value.Syntax.GetLocation(),
            $"The {what} is read from '{read.Context.Name}', the database that also stores PHI ({reason.What}): one breach yields the keys with the data they protect; keep it in a key store or a database of its own"));
    }

    /// <summary>A <c>DbSet</c> of a key or secret entity (<c>DbSet&lt;MasterKey&gt;</c>) on a DbContext that also stores PHI.</summary>
    private static void AnalyzeKeyTable(SymbolAnalysisContext context, PhiCompilationContext phi)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (property.IsStatic || KeyStores.DbSetEntity(property.Type) is not { } entity || !KeyStores.IsKeyStoreEntity(entity) ||
            property.ContainingType is not { } owner || !KeyStores.IsDbContext(owner) || property.Locations.FirstOrDefault() is not { SourceTree: { } tree } location ||
            StoredPhi(owner, phi.GetModel(context.Options, tree)) is not { } reason)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.KeysStoredBesidePhi, location,
            $"'{owner.Name}.{property.Name}' keeps key material ('{entity.Name}') in the database that also stores PHI ({reason.What}): one breach yields the keys with the data they protect; keep keys in a key store or a database of their own"));
    }

    /// <summary>
    /// A Data Protection <c>IXmlRepository</c> that holds a DbContext (or an <c>IDbContextFactory</c> of one) that also
    /// stores PHI, in a field, a property or a constructor parameter: the key ring is kept in the PHI database.
    /// </summary>
    private static void AnalyzeXmlRepository(SymbolAnalysisContext context, PhiCompilationContext phi)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || type.Locations.FirstOrDefault() is not { SourceTree: { } tree } location ||
            !Interfaces.Of(type).Any(i => i.Name == "IXmlRepository" && i.ContainingNamespace?.ToDisplayString() == DataProtectionNamespace + ".Repositories"))
        {
            return;
        }

        var held = type.GetMembers().Select(m => m switch
            {
                IFieldSymbol { IsStatic: false } field => field.Type,
                IPropertySymbol { IsStatic: false } property => property.Type,
                _ => null,
            })
            .Concat(type.InstanceConstructors.SelectMany(c => c.Parameters).Select(p => p.Type));
        var model = phi.GetModel(context.Options, tree);
        foreach (var candidate in held)
        {
            var heldContext = candidate is INamedTypeSymbol { Name: "IDbContextFactory", TypeArguments.Length: 1 } factory ? factory.TypeArguments[0] : candidate;
            if (heldContext is INamedTypeSymbol dbContext && KeyStores.IsDbContext(dbContext) && StoredPhi(dbContext, model) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.KeysStoredBesidePhi, location,
                    $"'{type.Name}' keeps the Data Protection key ring in '{dbContext.Name}', the database that also stores PHI ({reason.What}): one breach yields the keys with the data they protect"));
                return;
            }
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

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
