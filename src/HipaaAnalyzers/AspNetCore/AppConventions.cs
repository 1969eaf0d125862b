using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Application-wide settings that decide an endpoint's authorization and audit when the endpoint itself does not:
/// a fallback authorization policy, global MVC filters (<c>AuthorizeFilter</c>, an audit filter), and conventions
/// applied to <c>MapControllers()</c>.
/// </summary>
public sealed class AppConventions
{
    private readonly SecurityFacts _controllers;
    private readonly SecurityFacts _everyController;

    private readonly ImmutableHashSet<ITypeSymbol> _services;

    private AppConventions(
        string? fallbackPolicySource, SecurityFacts controllers, SecurityFacts everyController, ImmutableArray<string> notes, ImmutableHashSet<ITypeSymbol> services)
    {
        FallbackPolicySource = fallbackPolicySource;
        _controllers = controllers;
        _everyController = everyController;
        Notes = notes;
        _services = services;
    }

    public static AppConventions Empty { get; } =
        new(null, new SecurityFacts(), new SecurityFacts(), ImmutableArray<string>.Empty, ImmutableHashSet.Create<ITypeSymbol>(SymbolEqualityComparer.Default));

    /// <summary>
    /// The type is registered in dependency injection (<c>AddSingleton&lt;T&gt;()</c>, <c>AddScoped</c>, <c>AddHttpClient&lt;T&gt;</c> ...),
    /// so a handler parameter of this type is a service, not data from the request.
    /// </summary>
    public bool IsService(ITypeSymbol type) => _services.Contains(type.OriginalDefinition);

    /// <summary>Where the fallback policy is set ("fallback policy set in Program"), or null when there is none.</summary>
    public string? FallbackPolicySource { get; }

    public bool HasFallbackPolicy => FallbackPolicySource is not null;

    /// <summary>One line per application-wide setting found, for reports.</summary>
    public ImmutableArray<string> Notes { get; }

    /// <summary>The endpoint with the application-wide settings applied: what actually protects it at run time.</summary>
    public Endpoint Apply(Endpoint endpoint)
    {
        var facts = endpoint.Facts;
        var effective = facts;
        if (endpoint.Kind == EndpointKind.ControllerAction && (!_controllers.IsEmpty || !_everyController.IsEmpty))
        {
            effective = facts.Copy();
            effective.AddAll(_controllers);
            effective.AddAll(_everyController);
        }

        return endpoint.With(effective.ToAuthorization(FallbackPolicySource), effective.ToAudit());
    }

    /// <summary>Collects application-wide settings, from any thread, then builds the <see cref="AppConventions"/>.</summary>
    public sealed class Builder
    {
        private readonly object _gate = new();
        private readonly SecurityFacts _controllers = new();
        private readonly SecurityFacts _everyController = new();
        private readonly List<string> _notes = new();
        private readonly HashSet<ITypeSymbol> _services = new(SymbolEqualityComparer.Default);
        private string? _fallback;

        /// <summary>Conventions on <c>MapControllers()</c> (and the other controller route maps).</summary>
        internal void AddControllerConventions(SecurityFacts facts, string note)
        {
            lock (_gate)
            {
                _controllers.AddAll(facts);
                _notes.Add(note);
            }
        }

        /// <summary>Global MVC filters: <c>options.Filters.Add(new AuthorizeFilter(...))</c>, an audit filter.</summary>
        internal void AddGlobalFilter(SecurityFacts facts, string note)
        {
            lock (_gate)
            {
                _everyController.AddAll(facts);
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

        internal void SetFallbackPolicy(string source)
        {
            lock (_gate)
            {
                _fallback ??= source;
                _notes.Add(source);
            }
        }

        public AppConventions ToConventions()
        {
            lock (_gate)
            {
                return new AppConventions(
                    _fallback, _controllers.Copy(), _everyController.Copy(), _notes.ToImmutableArray(),
                    _services.ToImmutableHashSet<ITypeSymbol>(SymbolEqualityComparer.Default));
            }
        }
    }
}
