using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Authorization and audit requirements gathered for one endpoint (or one group, controller or application) from
/// attributes and conventions, before they are turned into <see cref="EndpointAuthorization"/> and <see cref="EndpointAudit"/>.
/// </summary>
internal sealed class SecurityFacts
{
    private readonly List<string> _policies = new();
    private readonly List<string> _roles = new();
    private readonly List<string> _customRequirements = new();
    private readonly List<string> _handlerChecks = new();
    private readonly List<string> _authorizationSources = new();
    private readonly List<string> _auditSources = new();
    private readonly List<Location> _anonymousLocations = new();

    public bool AllowsAnonymous { get; private set; }
    public bool RequiresAuthorization { get; private set; }
    public bool HasInlinePolicy { get; private set; }
    public bool IsAudited { get; private set; }
    public string? AuditAction { get; private set; }

    /// <summary>Where <c>[AllowAnonymous]</c> or <c>.AllowAnonymous()</c> is written, when it is written in source.</summary>
    public IReadOnlyList<Location> AnonymousLocations => _anonymousLocations;

    public bool IsEmpty => !AllowsAnonymous && !RequiresAuthorization && !IsAudited;

    public void AddAuthorize(string? policy, string? roles, string source)
    {
        RequiresAuthorization = true;
        if (!string.IsNullOrWhiteSpace(policy))
        {
            AddDistinct(_policies, policy!.Trim());
        }

        if (!string.IsNullOrWhiteSpace(roles))
        {
            foreach (var role in roles!.Split(','))
            {
                if (role.Trim().Length > 0)
                {
                    AddDistinct(_roles, role.Trim());
                }
            }
        }

        AddDistinct(_authorizationSources, source);
    }

    /// <summary>
    /// A policy built in code. <paramref name="narrows"/> is false for a policy that only requires an authenticated
    /// user (<c>RequireAuthenticatedUser()</c> and nothing else): that is authentication, not a policy.
    /// </summary>
    public void AddInlinePolicy(IEnumerable<string> roles, string source, bool narrows = true)
    {
        RequiresAuthorization = true;
        HasInlinePolicy |= narrows;
        foreach (var role in roles)
        {
            AddDistinct(_roles, role);
        }

        AddDistinct(_authorizationSources, source);
    }

    /// <summary>
    /// A requirement the model cannot read but that narrows who may call: a policy computed by a custom
    /// <c>AuthorizeAttribute</c> ("policy from [HasPermission]"), an authorization filter ("authorization filter [RequireClinicianAccess]").
    /// </summary>
    public void AddCustomRequirement(string requirement, string source)
    {
        RequiresAuthorization = true;
        AddDistinct(_customRequirements, requirement);
        AddDistinct(_authorizationSources, source);
    }

    /// <summary>
    /// A check the handler makes in its own code ("checks IsInRole in the handler"): it narrows who may call an endpoint
    /// that requires a signed-in user, but is not ASP.NET Core authorization and protects nothing by itself.
    /// </summary>
    public void AddHandlerCheck(string check)
    {
        AddDistinct(_handlerChecks, check);
        AddDistinct(_authorizationSources, check);
    }

    public void AddAnonymous(string source, Location? location = null)
    {
        AllowsAnonymous = true;
        if (location is { IsInSource: true } && !_anonymousLocations.Contains(location))
        {
            _anonymousLocations.Add(location);
        }

        AddDistinct(_authorizationSources, source);
    }

    public void AddAudit(string? action, string source)
    {
        IsAudited = true;
        AuditAction ??= action;
        AddDistinct(_auditSources, source);
    }

    /// <summary>Adds what an enclosing scope (a group, the controller, the application) requires.</summary>
    public void AddAll(SecurityFacts other)
    {
        AllowsAnonymous |= other.AllowsAnonymous;
        RequiresAuthorization |= other.RequiresAuthorization;
        HasInlinePolicy |= other.HasInlinePolicy;
        if (other.IsAudited)
        {
            IsAudited = true;
            AuditAction ??= other.AuditAction;
        }

        foreach (var location in other._anonymousLocations)
        {
            if (!_anonymousLocations.Contains(location))
            {
                _anonymousLocations.Add(location);
            }
        }

        foreach (var p in other._policies)
        {
            AddDistinct(_policies, p);
        }

        foreach (var r in other._roles)
        {
            AddDistinct(_roles, r);
        }

        foreach (var c in other._customRequirements)
        {
            AddDistinct(_customRequirements, c);
        }

        foreach (var c in other._handlerChecks)
        {
            AddDistinct(_handlerChecks, c);
        }

        foreach (var s in other._authorizationSources)
        {
            AddDistinct(_authorizationSources, s);
        }

        foreach (var s in other._auditSources)
        {
            AddDistinct(_auditSources, s);
        }
    }

    public SecurityFacts Copy()
    {
        var copy = new SecurityFacts();
        copy.AddAll(this);
        return copy;
    }

    public EndpointAuthorization ToAuthorization(string? fallbackSource) => ToAuthorization(fallbackSource, false, false);

    /// <param name="fallbackSource">Where the fallback policy is set, or null when there is none.</param>
    /// <param name="fallbackNarrows">The fallback policy requires more than an authenticated user.</param>
    /// <param name="defaultNarrows">The default policy (used by <c>[Authorize]</c> without a policy) requires more than an authenticated user.</param>
    public EndpointAuthorization ToAuthorization(string? fallbackSource, bool fallbackNarrows, bool defaultNarrows)
    {
        bool fallback = !AllowsAnonymous && !RequiresAuthorization && fallbackSource is not null;
        var sources = _authorizationSources.ToImmutableArray();
        if (fallback)
        {
            sources = sources.Add(fallbackSource!);
        }

        bool authenticationOnly = !AllowsAnonymous && _handlerChecks.Count == 0 &&
            (RequiresAuthorization
                ? _policies.Count == 0 && _roles.Count == 0 && _customRequirements.Count == 0 && !HasInlinePolicy && !defaultNarrows
                : fallback && !fallbackNarrows);
        return new EndpointAuthorization(
            AllowsAnonymous, RequiresAuthorization, _policies.ToImmutableArray(), _roles.ToImmutableArray(), HasInlinePolicy, fallback, sources,
            authenticationOnly, _anonymousLocations.ToImmutableArray(), _customRequirements.ToImmutableArray(), _handlerChecks.ToImmutableArray());
    }

    public EndpointAudit ToAudit() =>
        IsAudited ? new EndpointAudit(true, AuditAction, _auditSources.ToImmutableArray()) : EndpointAudit.NotAudited;

    private static void AddDistinct(List<string> list, string value)
    {
        foreach (var existing in list)
        {
            if (string.Equals(existing, value, StringComparison.Ordinal))
            {
                return;
            }
        }

        list.Add(value);
    }
}
