using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// What an application registers at startup for the runtime features its endpoints use (HIPAA902): whether it has a
/// startup at all, whether <c>AddHipaaAudit</c> and an audit sink are registered, and which authorization policies it
/// defines by name. Found once per compilation from the few syntax nodes that can register them (a per-tree index of
/// candidate invocations and types, kept while the tree does not change), and bound only when a rule asks.
/// </summary>
/// <remarks>
/// Where a definition cannot be read the model says so rather than guess: a policy added under a computed name, the
/// runtime's access policies (their permissions come from a roles file), an <c>IAuthorizationPolicyProvider</c> of the
/// application, or a registration method of the application's own or of a third-party library whose name speaks of
/// authentication, authorization, policies or permissions (<c>services.AddPermissionPolicies()</c>,
/// <c>services.AddDefaultAuthentication(configuration)</c> of a shared project) make every policy name possible;
/// a method whose name speaks of audit does the same for the audit registration.
/// </remarks>
internal sealed class RuntimeRegistrations
{
    private const string AspNetCoreRuntime = "HipaaAnalyzers.Runtime.AspNetCore";

    private static readonly ConditionalWeakTable<SyntaxTree, TreeIndex> Index = new();

    /// <summary>
    /// Words one of which a file that registers anything this model reads contains: the calls that build a host or
    /// register services, and the endings of registration methods (<c>AddClinicAudit(</c>, <c>AddAuthorization(</c>,
    /// <c>AddPermissionPolicies(</c>). An endpoint file with only <c>[Authorize(...)]</c> has none of them.
    /// </summary>
    private static readonly string[] Words =
    {
        "AddPolicy", "AddHipaa", "PolicyProvider", "ConfigureServices", "CreateBuilder", "CreateSlimBuilder", "CreateEmptyBuilder",
        "CreateDefaultBuilder", "CreateApplicationBuilder", "AuditSink", "Audit(", "Authorization(", "Authentication(", "Auth(", "Policies(", "Permissions(", "Policy(",
        "Encryption(", "AddDbContext", "DbContextFactory",
    };

    private readonly HashSet<string> _policies;

    private RuntimeRegistrations(bool hasStartup, bool audit, bool auditSink, bool anyPolicy, HashSet<string> policies, bool fieldEncryption, bool dbContextRegistered)
    {
        FieldEncryptionConfigured = fieldEncryption;
        DbContextRegistered = dbContextRegistered;
        HasStartup = hasStartup;
        AuditRegistered = audit;
        AuditSinkRegistered = auditSink;
        AnyPolicyMayExist = anyPolicy;
        _policies = policies;
    }

    /// <summary>The compilation builds a host (<c>WebApplication.CreateBuilder</c>, a <c>ConfigureServices</c> method ...): a library's endpoints are registered by the app that hosts them.</summary>
    public bool HasStartup { get; }

    /// <summary><c>AddHipaaAudit</c> is called, or a registration method that may call it.</summary>
    public bool AuditRegistered { get; }

    /// <summary>An <c>IAuditSink</c> is registered (the file sink, Kafka, PostgreSQL, or the application's own).</summary>
    public bool AuditSinkRegistered { get; }

    /// <summary>Policies are defined in a way the model cannot list: every name may exist.</summary>
    public bool AnyPolicyMayExist { get; }

    /// <summary>
    /// A <c>DbContext</c> is configured with the runtime's <c>UseFieldEncryption(...)</c>, or a registration method of
    /// the application's own or of a library whose name speaks of encryption may do it.
    /// </summary>
    public bool FieldEncryptionConfigured { get; }

    /// <summary>The startup registers a <c>DbContext</c> (<c>AddDbContext</c>, <c>AddDbContextPool</c>, <c>AddDbContextFactory</c> ...).</summary>
    public bool DbContextRegistered { get; }

    public bool DefinesPolicy(string name) => AnyPolicyMayExist || _policies.Contains(name);

    public static RuntimeRegistrations Compute(Compilation compilation, CancellationToken cancellationToken)
    {
        bool startup = false, audit = false, sink = false, anyPolicy = false, encryption = false, dbContext = false;
        var policies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var index = Index.GetValue(tree, t => TreeIndex.Create(t, cancellationToken));
            if (index.IsEmpty)
            {
                continue;
            }

            var facts = TreeFacts.For(compilation, tree, index, cancellationToken);
            startup |= facts.Startup;
            audit |= facts.Audit;
            sink |= facts.Sink;
            anyPolicy |= facts.AnyPolicy;
            encryption |= facts.Encryption;
            dbContext |= facts.DbContext;
            policies.UnionWith(facts.Policies);
        }

        return new RuntimeRegistrations(startup, audit, sink, anyPolicy, policies, encryption, dbContext);
    }

    /// <summary>
    /// What one file registers, bound once and kept while the file, the files that declare what it calls and the
    /// compilation's references stay the same. Typing in another file builds a new compilation but changes none of
    /// these, so a keystroke binds only the edited file's registrations instead of every file's.
    /// </summary>
    private sealed class TreeFacts
    {
        private static readonly ConditionalWeakTable<SyntaxTree, TreeFacts> Cache = new();

        public bool Startup;
        public bool Audit;
        public bool Sink;
        public bool AnyPolicy;
        public bool Encryption;
        public bool DbContext;
        public readonly HashSet<string> Policies = new(StringComparer.Ordinal);

        /// <summary>Files of the compilation that declare the methods and types this file's facts were bound against.</summary>
        private readonly HashSet<SyntaxTree> _dependencies = new();

        private ImmutableArray<MetadataReference> _references;

        public static TreeFacts For(Compilation compilation, SyntaxTree tree, TreeIndex index, CancellationToken cancellationToken)
        {
            if (Cache.TryGetValue(tree, out var cached) && cached.IsValidFor(compilation))
            {
                return cached;
            }

            var facts = new TreeFacts { _references = compilation.ExternalReferences };
            facts.Bind(compilation, tree, index, cancellationToken);
            lock (Cache)
            {
                Cache.Remove(tree);
                Cache.Add(tree, facts);
            }

            return facts;
        }

        private bool IsValidFor(Compilation compilation)
        {
            var references = compilation.ExternalReferences;
            if (references.Length != _references.Length)
            {
                return false;
            }

            for (int i = 0; i < references.Length; i++)
            {
                if (!ReferenceEquals(references[i], _references[i]))
                {
                    return false;
                }
            }

            foreach (var dependency in _dependencies)
            {
                if (!compilation.ContainsSyntaxTree(dependency))
                {
                    return false;
                }
            }

            return true;
        }

        private bool DependOnBases(INamedTypeSymbol type)
        {
            for (var t = type.BaseType; t is not null; t = t.BaseType)
            {
                DependOn(t);
            }

            return true;
        }

        private void DependOn(ISymbol symbol)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                _dependencies.Add(reference.SyntaxTree);
            }
        }

        private void Bind(Compilation compilation, SyntaxTree tree, TreeIndex index, CancellationToken cancellationToken)
        {
            bool startup = false, audit = false, sink = false, anyPolicy = false, encryption = false, dbContext = false;
            var policies = Policies;
            var model = compilation.GetSemanticModel(tree);
            foreach (var type in index.Types)
            {
                if (model.GetDeclaredSymbol(type, cancellationToken) is INamedTypeSymbol symbol &&
                    DependOnBases(symbol) &&
                    symbol.AllInterfaces.Any(i => TypeNames.Is(i, "Microsoft.AspNetCore.Authorization", "IAuthorizationPolicyProvider")))
                {
                    anyPolicy = true;
                }
            }

            foreach (var method in index.ConfigureServices)
            {
                if (model.GetDeclaredSymbol(method, cancellationToken) is IMethodSymbol { Parameters.Length: > 0 } symbol &&
                    symbol.Parameters.Any(p => TypeNames.Is(p.Type, "Microsoft.Extensions.DependencyInjection", "IServiceCollection")))
                {
                    startup = true;
                }
            }

            foreach (var invocation in index.Invocations)
            {
                if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
                {
                    continue;
                }

                var method = operation.TargetMethod;
                DependOn(method);
                var name = method.Name;
                // Judged by namespace, not assembly: the runtime is ours in any assembly that declares it.
                var ns = method.ContainingNamespace?.ToDisplayString() ?? "";
                bool ours = ns.StartsWith("HipaaAnalyzers.Runtime", StringComparison.Ordinal);
                bool framework = ours || ns.StartsWith("Microsoft.", StringComparison.Ordinal) || ns.StartsWith("System", StringComparison.Ordinal);
                switch (name)
                {
                    case "CreateBuilder" or "CreateSlimBuilder" or "CreateEmptyBuilder" or "CreateDefaultBuilder" or "CreateApplicationBuilder" when framework:
                        startup = true;
                        continue;
                    case "AddHipaaAudit" when ours:
                        audit = true;
                        continue;
                    case "UseFieldEncryption" when ours:
                        encryption = true;
                        continue;
                    case "AddDbContext" or "AddDbContextPool" or "AddDbContextFactory" or "AddPooledDbContextFactory" when framework:
                        dbContext = true;
                        continue;
                    case "AddPolicy" when framework:
                        if (operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value is IFieldReferenceOperation { Field: var constant })
                        {
                            DependOn(constant);
                        }

                        if (operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value.ConstantValue is { HasValue: true, Value: string policy })
                        {
                            policies.Add(policy);
                        }
                        else
                        {
                            anyPolicy = true;
                        }

                        continue;
                }

                if (!framework && name.IndexOf("Encrypt", StringComparison.Ordinal) >= 0)
                {
                    encryption = true;
                }

                if (name.StartsWith("AddHipaaAccessPolicies", StringComparison.Ordinal) && ours)
                {
                    anyPolicy = true;
                }
                else if (name.IndexOf("Audit", StringComparison.Ordinal) >= 0 && name != "AuditPhiAccess")
                {
                    // AddHipaaAuditFileSink, AddHipaaKafkaAudit, AddPostgresAuditSink ... or the app's own.
                    if (ours || !framework)
                    {
                        sink = true;
                    }

                    if (!framework)
                    {
                        audit = true;
                    }
                }
                else if (!framework && (name.IndexOf("Auth", StringComparison.Ordinal) >= 0 || name.IndexOf("Polic", StringComparison.Ordinal) >= 0 ||
                                        name.IndexOf("Permission", StringComparison.Ordinal) >= 0))
                {
                    anyPolicy = true;
                }
                else if (method.TypeArguments.Any(t => TypeNames.Is(t, "HipaaAnalyzers.Runtime.Audit", "IAuditSink")))
                {
                    sink = true;
                }
            }

            Startup = startup;
            Audit = audit;
            Sink = sink;
            AnyPolicy = anyPolicy;
            Encryption = encryption;
            DbContext = dbContext;
        }
    }


    /// <summary>The runtime's <c>.AuditPhiAccess()</c> endpoint convention.</summary>
    public static bool IsAuditConvention(IMethodSymbol method) =>
        method.Name == "AuditPhiAccess" && TypeNames.IsInNamespace(method.ContainingNamespace, AspNetCoreRuntime);

    /// <summary>The runtime's <c>[AuditPhiAccess]</c>.</summary>
    public static bool IsAuditAttribute(INamedTypeSymbol? attribute) =>
        attribute is not null && TypeNames.Is(attribute, AspNetCoreRuntime, "AuditPhiAccessAttribute");

    /// <summary>
    /// The policy names <c>.RequireAuthorization("a", "b")</c> asks for, each with the argument that names it; empty for
    /// any other call, and for names that are not constants.
    /// </summary>
    public static IEnumerable<(string Name, IOperation Argument)> PoliciesOf(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name != "RequireAuthorization" ||
            !TypeNames.IsInNamespace(invocation.TargetMethod.ContainingNamespace, "Microsoft.AspNetCore.Builder"))
        {
            yield break;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String })
            {
                continue;
            }

            var values = argument.Value is IArrayCreationOperation { Initializer: { } initializer } ? initializer.ElementValues : ImmutableArray.Create(argument.Value);
            foreach (var value in values)
            {
                if (value.ConstantValue is { HasValue: true, Value: string { Length: > 0 } name })
                {
                    yield return (name, value);
                }
            }
        }
    }

    /// <summary>The policy the framework's own <c>[Authorize("name")]</c> or <c>[Authorize(Policy = "name")]</c> names, when it is a constant.</summary>
    public static string? PolicyOf(AttributeData attribute)
    {
        if (!TypeNames.Is(attribute.AttributeClass, "Microsoft.AspNetCore.Authorization", "AuthorizeAttribute"))
        {
            return null;
        }

        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Policy" && named.Value.Value is string { Length: > 0 } policy)
            {
                return policy;
            }
        }

        return attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string { Length: > 0 } name ? name : null;
    }

    /// <summary>Every constant policy name the compilation's endpoints ask for that it does not define, in order.</summary>
    public IReadOnlyList<string> UndefinedPolicies(Compilation compilation, CancellationToken cancellationToken)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        if (AnyPolicyMayExist)
        {
            return result.ToList();
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = SourceTexts.Of(tree, cancellationToken);
            if (text.IndexOf("Authoriz", StringComparison.Ordinal) < 0)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax invocation when invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RequireAuthorization" } &&
                                                                    model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation:
                        foreach (var (name, _) in PoliciesOf(operation))
                        {
                            if (!_policies.Contains(name))
                            {
                                result.Add(name);
                            }
                        }

                        break;
                    case AttributeSyntax attribute when attribute.Name.ToString().IndexOf("Authorize", StringComparison.Ordinal) >= 0:
                        var owner = attribute.Parent?.Parent is MemberDeclarationSyntax member ? model.GetDeclaredSymbol(member, cancellationToken) : null;
                        foreach (var data in owner?.GetAttributes() ?? ImmutableArray<AttributeData>.Empty)
                        {
                            if (data.ApplicationSyntaxReference?.Span == attribute.Span && PolicyOf(data) is { } policy && !_policies.Contains(policy))
                            {
                                result.Add(policy);
                            }
                        }

                        break;
                }
            }
        }

        return result.ToList();
    }

    /// <summary>The candidates of one tree, from syntax alone: a file that mentions none of <see cref="Words"/> has none.</summary>
    private sealed class TreeIndex
    {
        private TreeIndex(ImmutableArray<InvocationExpressionSyntax> invocations, ImmutableArray<TypeDeclarationSyntax> types, ImmutableArray<MethodDeclarationSyntax> configureServices)
        {
            Invocations = invocations;
            Types = types;
            ConfigureServices = configureServices;
        }

        public ImmutableArray<InvocationExpressionSyntax> Invocations { get; }

        /// <summary>Types whose base list may name an authorization policy provider.</summary>
        public ImmutableArray<TypeDeclarationSyntax> Types { get; }

        public ImmutableArray<MethodDeclarationSyntax> ConfigureServices { get; }

        public bool IsEmpty => Invocations.IsEmpty && Types.IsEmpty && ConfigureServices.IsEmpty;

        public static TreeIndex Create(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var text = SourceTexts.Of(tree, cancellationToken);
            if (!Words.Any(word => text.IndexOf(word, StringComparison.Ordinal) >= 0))
            {
                return new TreeIndex(ImmutableArray<InvocationExpressionSyntax>.Empty, ImmutableArray<TypeDeclarationSyntax>.Empty, ImmutableArray<MethodDeclarationSyntax>.Empty);
            }

            var invocations = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
            var types = ImmutableArray.CreateBuilder<TypeDeclarationSyntax>();
            var methods = ImmutableArray.CreateBuilder<MethodDeclarationSyntax>();
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax invocation when SyntaxNames.Last(invocation.Expression) is { } name && IsCandidate(name) &&
                                                                    (!IsPlainRegistration(name) || invocation.Expression.ToString().IndexOf("AuditSink", StringComparison.Ordinal) >= 0):
                        invocations.Add(invocation);
                        break;
                    case TypeDeclarationSyntax { BaseList: { } baseList } type when baseList.ToString().IndexOf("PolicyProvider", StringComparison.Ordinal) >= 0:
                        types.Add(type);
                        break;
                    case MethodDeclarationSyntax { Identifier.ValueText: "ConfigureServices" } method:
                        methods.Add(method);
                        break;
                }
            }

            return new TreeIndex(invocations.ToImmutable(), types.ToImmutable(), methods.ToImmutable());
        }

        /// <summary>AddSingleton and the like: a candidate only when it registers an audit sink (<c>AddSingleton&lt;IAuditSink, ...&gt;</c>).</summary>
        private static bool IsPlainRegistration(string name) => name is "AddSingleton" or "AddScoped" or "AddTransient" or "TryAddSingleton";

        private static bool IsCandidate(string name) =>
            name is "CreateBuilder" or "CreateSlimBuilder" or "CreateEmptyBuilder" or "CreateDefaultBuilder" or "CreateApplicationBuilder" or "AddPolicy" ||
            name is "AddDbContext" or "AddDbContextPool" or "AddDbContextFactory" or "AddPooledDbContextFactory" ||
            (name.StartsWith("Add", StringComparison.Ordinal) || name.StartsWith("Use", StringComparison.Ordinal)) && name.IndexOf("Encrypt", StringComparison.Ordinal) >= 0 ||
            name.StartsWith("Add", StringComparison.Ordinal) && (name.IndexOf("Audit", StringComparison.Ordinal) >= 0 ||
                                                                 name.IndexOf("Auth", StringComparison.Ordinal) >= 0 ||
                                                                 name.IndexOf("Polic", StringComparison.Ordinal) >= 0 ||
                                                                 name.IndexOf("Permission", StringComparison.Ordinal) >= 0) ||
            name is "AddSingleton" or "AddScoped" or "AddTransient" or "TryAddSingleton";
    }
}
