using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Authorization and audit requirements gathered for one endpoint (or one group, controller or application) from
/// attributes and conventions, before they are turned into <see cref="EndpointAuthorization"/> and <see cref="EndpointAudit"/>.
/// </summary>
internal sealed class SecurityFacts
{
    private readonly List<string> _policies = new();
    private readonly List<string> _roles = new();
    private readonly List<string> _authorizationSources = new();
    private readonly List<string> _auditSources = new();

    public bool AllowsAnonymous { get; private set; }
    public bool RequiresAuthorization { get; private set; }
    public bool HasInlinePolicy { get; private set; }
    public bool IsAudited { get; private set; }
    public string? AuditAction { get; private set; }

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

    public void AddInlinePolicy(IEnumerable<string> roles, string source)
    {
        RequiresAuthorization = true;
        HasInlinePolicy = true;
        foreach (var role in roles)
        {
            AddDistinct(_roles, role);
        }

        AddDistinct(_authorizationSources, source);
    }

    public void AddAnonymous(string source)
    {
        AllowsAnonymous = true;
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

        foreach (var p in other._policies)
        {
            AddDistinct(_policies, p);
        }

        foreach (var r in other._roles)
        {
            AddDistinct(_roles, r);
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

    public EndpointAuthorization ToAuthorization(string? fallbackSource)
    {
        bool fallback = !AllowsAnonymous && !RequiresAuthorization && fallbackSource is not null;
        var sources = _authorizationSources.ToImmutableArray();
        if (fallback)
        {
            sources = sources.Add(fallbackSource!);
        }

        return new EndpointAuthorization(
            AllowsAnonymous, RequiresAuthorization, _policies.ToImmutableArray(), _roles.ToImmutableArray(), HasInlinePolicy, fallback, sources);
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
