using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Application-wide settings that decide an endpoint's authorization and audit when the endpoint itself does not:
/// a fallback authorization policy, the default policy, global MVC filters (<c>AuthorizeFilter</c>, an audit filter),
/// conventions applied to <c>MapControllers()</c> and <c>MapRazorPages()</c>, Razor Pages authorization conventions
/// (<c>AuthorizeFolder</c>, <c>AllowAnonymousToPage</c> ...), the runtime's global audit option
/// (<c>AddHipaaAudit(o =&gt; o.AuditAllEndpoints = true)</c>), audit middleware, and an EF Core <c>SaveChanges</c>
/// override or interceptor that writes audit rows (which covers the endpoints that write, not those that read).
/// </summary>
public sealed class AppConventions
{
    private readonly SecurityFacts _controllers;
    private readonly SecurityFacts _everyController;
    private readonly SecurityFacts _pages;
    private readonly SecurityFacts _everyEndpoint;
    private readonly SecurityFacts _writes;
    private readonly ImmutableArray<PageConvention> _pageConventions;
    private readonly ImmutableHashSet<ITypeSymbol> _services;
    private readonly ImmutableDictionary<ITypeSymbol, ImmutableArray<INamedTypeSymbol>> _implementations;

    private AppConventions(
        string? fallbackPolicySource,
        bool fallbackNarrows,
        bool defaultNarrows,
        SecurityFacts controllers,
        SecurityFacts everyController,
        SecurityFacts pages,
        SecurityFacts everyEndpoint,
        SecurityFacts writes,
        ImmutableArray<PageConvention> pageConventions,
        ImmutableArray<string> notes,
        ImmutableHashSet<ITypeSymbol> services,
        ImmutableDictionary<ITypeSymbol, ImmutableArray<INamedTypeSymbol>> implementations)
    {
        FallbackPolicySource = fallbackPolicySource;
        FallbackPolicyNarrows = fallbackNarrows;
        DefaultPolicyNarrows = defaultNarrows;
        _controllers = controllers;
        _everyController = everyController;
        _pages = pages;
        _everyEndpoint = everyEndpoint;
        _writes = writes;
        _pageConventions = pageConventions;
        Notes = notes;
        _services = services;
        _implementations = implementations;
    }

    public static AppConventions Empty { get; } = new Builder().ToConventions();

    /// <summary>
    /// The type is registered in dependency injection (<c>AddSingleton&lt;T&gt;()</c>, <c>AddScoped</c>, <c>AddHttpClient&lt;T&gt;</c> ...),
    /// so a handler parameter of this type is a service, not data from the request.
    /// </summary>
    public bool IsService(ITypeSymbol type) => _services.Contains(type.OriginalDefinition);

    /// <summary>
    /// The classes registered in dependency injection for a service type (<c>AddScoped&lt;IPatientService, PatientService&gt;()</c>):
    /// where a call through the interface goes.
    /// </summary>
    public ImmutableArray<INamedTypeSymbol> ImplementationsOf(ITypeSymbol service) =>
        _implementations.TryGetValue(service.OriginalDefinition, out var types) ? types : ImmutableArray<INamedTypeSymbol>.Empty;

    /// <summary>
    /// An application-wide setting audits every endpoint of this kind and these verbs, whatever the endpoint says:
    /// the model need not look for audit calls in the handler.
    /// </summary>
    internal bool AuditsAll(EndpointKind kind, ImmutableArray<string> verbs) =>
        _everyEndpoint.IsAudited ||
        (kind != EndpointKind.MinimalApi && _everyController.IsAudited) ||
        (kind == EndpointKind.ControllerAction && _controllers.IsAudited) ||
        (kind == EndpointKind.PageHandler && _pages.IsAudited) ||
        (_writes.IsAudited && IsWrite(verbs));

    /// <summary>Only POST, PUT, PATCH and DELETE: an endpoint that accepts any verb, GET or HEAD also reads.</summary>
    internal static bool IsWrite(ImmutableArray<string> verbs)
    {
        if (verbs.IsDefaultOrEmpty)
        {
            return false;
        }

        foreach (var verb in verbs)
        {
            if (verb is not ("POST" or "PUT" or "PATCH" or "DELETE"))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the fallback policy is set ("fallback policy set in Program"), or null when there is none.</summary>
    public string? FallbackPolicySource { get; }

    public bool HasFallbackPolicy => FallbackPolicySource is not null;

    /// <summary>The fallback policy requires more than an authenticated user (roles, claims, requirements, or a policy built elsewhere).</summary>
    public bool FallbackPolicyNarrows { get; }

    /// <summary>The default policy (what <c>[Authorize]</c> without a policy uses) was replaced by one that requires more than an authenticated user.</summary>
    public bool DefaultPolicyNarrows { get; }

    /// <summary>One line per application-wide setting found, for reports.</summary>
    public ImmutableArray<string> Notes { get; }

    /// <summary>The endpoint with the application-wide settings applied: what actually protects it at run time.</summary>
    public Endpoint Apply(Endpoint endpoint)
    {
        var effective = endpoint.Facts.Copy();
        switch (endpoint.Kind)
        {
            case EndpointKind.ControllerAction:
                effective.AddAll(_controllers);
                effective.AddAll(_everyController);
                break;
            case EndpointKind.PageHandler:
                effective.AddAll(_pages);
                effective.AddAll(_everyController);
                foreach (var convention in _pageConventions)
                {
                    if (convention.AppliesTo(endpoint.Route, endpoint.RouteIsComplete))
                    {
                        effective.AddAll(convention.Facts);
                    }
                }

                break;
        }

        effective.AddAll(_everyEndpoint);
        if (IsWrite(endpoint.Verbs))
        {
            effective.AddAll(_writes);
        }

        return endpoint.With(effective.ToAuthorization(FallbackPolicySource, FallbackPolicyNarrows, DefaultPolicyNarrows), effective.ToAudit());
    }

    /// <summary>A Razor Pages convention for one page or one folder (<c>AuthorizeFolder("/Patients")</c>).</summary>
    private sealed class PageConvention
    {
        public PageConvention(string path, bool folder, SecurityFacts facts)
        {
            Path = path.TrimEnd('/');
            Folder = folder;
            Facts = facts;
        }

        public string Path { get; }
        public bool Folder { get; }
        public SecurityFacts Facts { get; }

        public bool AppliesTo(string pagePath, bool known)
        {
            if (Folder && Path.Length == 0)
            {
                return true;
            }

            if (!known)
            {
                // The page's path is not known: an authorization convention may cover it, an anonymous one is not assumed.
                return !Facts.AllowsAnonymous;
            }

            return Folder
                ? pagePath.StartsWith(Path + "/", StringComparison.OrdinalIgnoreCase)
                : string.Equals(pagePath, Path, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Collects application-wide settings, from any thread, then builds the <see cref="AppConventions"/>.</summary>
    public sealed class Builder
    {
        private readonly object _gate = new();
        private readonly SecurityFacts _controllers = new();
        private readonly SecurityFacts _everyController = new();
        private readonly SecurityFacts _pages = new();
        private readonly SecurityFacts _everyEndpoint = new();
        private readonly SecurityFacts _writes = new();
        private readonly List<PageConvention> _pageConventions = new();
        private readonly List<string> _notes = new();
        private readonly HashSet<ITypeSymbol> _services = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ITypeSymbol, List<INamedTypeSymbol>> _implementations = new(SymbolEqualityComparer.Default);
        private string? _fallback;
        private PolicyKind _fallbackKind;
        private bool _defaultNarrows;

        /// <summary>Conventions on <c>MapControllers()</c> (and the other controller route maps).</summary>
        internal void AddControllerConventions(SecurityFacts facts, string note) => Add(_controllers, facts, note);

        /// <summary>Conventions on <c>MapRazorPages()</c>.</summary>
        internal void AddPageConventions(SecurityFacts facts, string note) => Add(_pages, facts, note);

        /// <summary>Global MVC filters: <c>options.Filters.Add(new AuthorizeFilter(...))</c>, an audit filter.</summary>
        internal void AddGlobalFilter(SecurityFacts facts, string note) => Add(_everyController, facts, note);

        /// <summary>Settings that reach every endpoint: the runtime's <c>AuditAllEndpoints</c> option, audit middleware.</summary>
        internal void AddEveryEndpoint(SecurityFacts facts, string note) => Add(_everyEndpoint, facts, note);

        /// <summary>
        /// Settings that reach the endpoints that write (POST, PUT, PATCH, DELETE): a <c>SaveChanges</c> override or a
        /// save interceptor that writes audit rows records changes, not reads.
        /// </summary>
        internal void AddWrites(SecurityFacts facts, string note) => Add(_writes, facts, note);

        /// <summary><c>AuthorizeFolder</c>, <c>AuthorizePage</c>, <c>AllowAnonymousToFolder</c>, <c>AllowAnonymousToPage</c>.</summary>
        internal void AddPageConvention(string path, bool folder, SecurityFacts facts, string note)
        {
            lock (_gate)
            {
                _pageConventions.Add(new PageConvention(path, folder, facts));
                _notes.Add(note);
            }
        }

        internal void AddService(ITypeSymbol type)
        {
            lock (_gate)
            {
                _services.Add(type.OriginalDefinition);
            }
        }

        /// <summary><c>AddScoped&lt;IService, Implementation&gt;()</c>: calls through the service type reach the implementation.</summary>
        internal void AddImplementation(ITypeSymbol service, ITypeSymbol implementation)
        {
            if (implementation is not INamedTypeSymbol { TypeKind: TypeKind.Class } named ||
                SymbolEqualityComparer.Default.Equals(service.OriginalDefinition, implementation.OriginalDefinition))
            {
                return;
            }

            lock (_gate)
            {
                if (!_implementations.TryGetValue(service.OriginalDefinition, out var list))
                {
                    _implementations[service.OriginalDefinition] = list = new List<INamedTypeSymbol>();
                }

                if (!list.Contains(named.OriginalDefinition, SymbolEqualityComparer.Default))
                {
                    list.Add(named.OriginalDefinition);
                }
            }
        }

        internal void SetFallbackPolicy(string source) => SetFallbackPolicy(source, PolicyKind.Narrows);

        internal void SetFallbackPolicy(string source, PolicyKind kind)
        {
            lock (_gate)
            {
                if (_fallback is null)
                {
                    _fallback = source;
                    _fallbackKind = kind;
                }

                _notes.Add(source);
            }
        }

        internal void SetDefaultPolicy(bool narrows, string note)
        {
            lock (_gate)
            {
                _defaultNarrows |= narrows;
                _notes.Add(note);
            }
        }

        public AppConventions ToConventions()
        {
            lock (_gate)
            {
                bool fallbackNarrows = _fallbackKind switch
                {
                    PolicyKind.AuthenticationOnly => false,
                    PolicyKind.SameAsDefault => _defaultNarrows,
                    _ => true,
                };
                var implementations = ImmutableDictionary.CreateBuilder<ITypeSymbol, ImmutableArray<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
                foreach (var pair in _implementations)
                {
                    implementations[pair.Key] = pair.Value.ToImmutableArray();
                }

                return new AppConventions(
                    _fallback, fallbackNarrows, _defaultNarrows, _controllers.Copy(), _everyController.Copy(), _pages.Copy(), _everyEndpoint.Copy(),
                    _writes.Copy(), _pageConventions.ToImmutableArray(), _notes.ToImmutableArray(),
                    _services.ToImmutableHashSet<ITypeSymbol>(SymbolEqualityComparer.Default), implementations.ToImmutable());
            }
        }

        private void Add(SecurityFacts target, SecurityFacts facts, string note)
        {
            lock (_gate)
            {
                target.AddAll(facts);
                _notes.Add(note);
            }
        }
    }
}

/// <summary>What an authorization policy written in code requires.</summary>
internal enum PolicyKind
{
    /// <summary>Roles, claims, requirements, assertions, or a policy built somewhere the model does not follow.</summary>
    Narrows,

    /// <summary><c>RequireAuthenticatedUser()</c> and nothing more.</summary>
    AuthenticationOnly,

    /// <summary>The default policy (<c>options.FallbackPolicy = options.DefaultPolicy</c>).</summary>
    SameAsDefault,
}
