using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace HipaaAnalyzers.Runtime.AspNetCore.Policies;

/// <summary>A validated role: the permissions it grants and the constraints under which it grants them.</summary>
internal sealed class RoleDefinition
{
    public RoleDefinition(string name, IReadOnlyList<string> permissions, IReadOnlyList<WeeklyWindow> windows, IReadOnlyList<IpRange> ranges)
    {
        Name = name;
        Permissions = permissions;
        Windows = windows;
        Ranges = ranges;
    }

    public string Name { get; }

    public IReadOnlyList<string> Permissions { get; }

    public IReadOnlyList<WeeklyWindow> Windows { get; }

    public IReadOnlyList<IpRange> Ranges { get; }

    /// <summary>Null when the constraints hold; otherwise why they do not.</summary>
    public string? Check(DateTimeOffset now, TimeZoneInfo zone, IPAddress? client)
    {
        List<string>? problems = null;
        if (Windows.Count > 0)
        {
            DateTimeOffset local = TimeZoneInfo.ConvertTime(now, zone);
            if (!Windows.Any(w => w.Contains(local.DayOfWeek, local.TimeOfDay)))
            {
                (problems ??= new()).Add($"outside permitted hours {string.Join(", ", Windows.Select(w => w.Display))} ({zone.Id})");
            }
        }

        if (Ranges.Count > 0)
        {
            if (client is null)
            {
                (problems ??= new()).Add("client IP unknown, so the permitted ranges cannot be checked");
            }
            else if (!Ranges.Any(r => r.Contains(client)))
            {
                (problems ??= new()).Add($"client IP {IpRange.Normalize(client)} outside permitted ranges");
            }
        }

        return problems is null ? null : string.Join("; ", problems);
    }
}

/// <summary>All roles, indexed by the permission they grant.</summary>
internal sealed class AccessPolicySet
{
    public AccessPolicySet(IReadOnlyList<RoleDefinition> roles, TimeZoneInfo zone, string roleClaimType, string? source = null)
    {
        Roles = roles;
        Source = source;
        TimeZone = zone;
        RoleClaimType = roleClaimType;
        GrantsByPermission = roles
            .SelectMany(r => r.Permissions.Select(p => (Permission: p, Role: r)))
            .GroupBy(x => x.Permission, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<RoleDefinition>)g.Select(x => x.Role).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyList<RoleDefinition> Roles { get; }

    /// <summary>Where the definitions came from (a file path or a configuration section), for messages; null for JSON text.</summary>
    public string? Source { get; }

    public TimeZoneInfo TimeZone { get; }

    public string RoleClaimType { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<RoleDefinition>> GrantsByPermission { get; }
}
