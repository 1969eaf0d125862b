using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace HipaaAnalyzers.Runtime.AspNetCore.Policies;

/// <summary>Reads and validates role definitions from JSON text or a configuration section.</summary>
internal static class AccessPolicyParser
{
    private const string RoleField = "role";
    private const string PermissionsField = "permissions";
    private const string ConstraintsField = "constraints";
    private const string TemporalField = "temporal";
    private const string IpRangeField = "ip_range";

    public static IReadOnlyList<RoleDefinition> ParseJson(string json, string? source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            string detail = ex.Message;
            int cut = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                detail = detail[..cut];
            }

            throw HipaaAccessPolicyException.ForDocument(source, "malformed JSON: " + detail, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1, ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw HipaaAccessPolicyException.ForDocument(source, $"the root must be a JSON array of role definitions, not {Describe(document.RootElement.ValueKind)}");
            }

            List<RawRole> raw = new();
            int entry = 0;
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                entry++;
                raw.Add(ReadJsonRole(item, entry));
            }

            return Validate(raw, source);
        }
    }

    public static IReadOnlyList<RoleDefinition> ParseConfiguration(IConfiguration section, string? source)
    {
        List<RawRole> raw = new();
        int entry = 0;
        foreach (IConfigurationSection child in section.GetChildren())
        {
            entry++;
            raw.Add(ReadConfigurationRole(child, entry));
        }

        return Validate(raw, source);
    }

    private static RawRole ReadJsonRole(JsonElement item, int entry)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw HipaaAccessPolicyException.ForRole(null, entry, "(entry)", $"expected an object, found {Describe(item.ValueKind)}");
        }

        string? role = null;
        if (item.TryGetProperty(RoleField, out JsonElement roleElement) && roleElement.ValueKind == JsonValueKind.String)
        {
            role = roleElement.GetString();
        }

        RawRole result = new(entry, role);
        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (JsonProperty property in item.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw HipaaAccessPolicyException.ForRole(role, entry, property.Name, "appears twice");
            }

            switch (property.Name)
            {
                case RoleField:
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        throw HipaaAccessPolicyException.ForRole(null, entry, RoleField, $"must be a string, found {Describe(property.Value.ValueKind)}");
                    }

                    result.RoleSeen = true;
                    break;
                case PermissionsField:
                    result.Permissions = ReadJsonStrings(property.Value, role, entry, PermissionsField, allowSingle: false);
                    break;
                case ConstraintsField:
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw HipaaAccessPolicyException.ForRole(role, entry, ConstraintsField, $"must be an object, found {Describe(property.Value.ValueKind)}");
                    }

                    HashSet<string> seenConstraints = new(StringComparer.Ordinal);
                    foreach (JsonProperty constraint in property.Value.EnumerateObject())
                    {
                        string field = ConstraintsField + "." + constraint.Name;
                        if (!seenConstraints.Add(constraint.Name))
                        {
                            throw HipaaAccessPolicyException.ForRole(role, entry, field, "appears twice");
                        }

                        switch (constraint.Name)
                        {
                            case TemporalField:
                                (result.Temporal, result.TemporalIsList) = ReadJsonStringOrList(constraint.Value, role, entry, field);
                                break;
                            case IpRangeField:
                                (result.IpRanges, result.IpRangesIsList) = ReadJsonStringOrList(constraint.Value, role, entry, field);
                                break;
                            default:
                                throw HipaaAccessPolicyException.ForRole(role, entry, field, $"is not a known constraint (expected '{TemporalField}' or '{IpRangeField}')");
                        }
                    }

                    break;
                default:
                    throw HipaaAccessPolicyException.ForRole(role, entry, property.Name, $"is not a known field (expected '{RoleField}', '{PermissionsField}' or '{ConstraintsField}')");
            }
        }

        return result;
    }

    private static List<string> ReadJsonStrings(JsonElement value, string? role, int entry, string field, bool allowSingle)
    {
        if (allowSingle && value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw HipaaAccessPolicyException.ForRole(role, entry, field, $"must be an array of strings, found {Describe(value.ValueKind)}");
        }

        List<string> list = new();
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw HipaaAccessPolicyException.ForRole(role, entry, $"{field}[{index}]", $"must be a string, found {Describe(item.ValueKind)}");
            }

            list.Add(item.GetString()!);
            index++;
        }

        return list;
    }

    private static (List<string>, bool) ReadJsonStringOrList(JsonElement value, string? role, int entry, string field)
        => value.ValueKind == JsonValueKind.String
            ? ([value.GetString()!], false)
            : (ReadJsonStrings(value, role, entry, field, allowSingle: false), true);

    private static RawRole ReadConfigurationRole(IConfigurationSection item, int entry)
    {
        string? role = item.GetSection(RoleField).Value;
        RawRole result = new(entry, role);
        if (item.Value is not null && !item.GetChildren().Any())
        {
            throw HipaaAccessPolicyException.ForRole(null, entry, "(entry)", "expected an object with role, permissions and constraints");
        }

        foreach (IConfigurationSection property in item.GetChildren())
        {
            switch (property.Key)
            {
                case RoleField:
                    if (property.Value is null)
                    {
                        throw HipaaAccessPolicyException.ForRole(null, entry, RoleField, "must be a string");
                    }

                    result.RoleSeen = true;
                    break;
                case PermissionsField:
                    result.Permissions = ReadConfigurationList(property, role, entry, PermissionsField, allowSingle: false).Values;
                    break;
                case ConstraintsField:
                    foreach (IConfigurationSection constraint in property.GetChildren())
                    {
                        string field = ConstraintsField + "." + constraint.Key;
                        switch (constraint.Key)
                        {
                            case TemporalField:
                                (result.Temporal, result.TemporalIsList) = ReadConfigurationList(constraint, role, entry, field, allowSingle: true);
                                break;
                            case IpRangeField:
                                (result.IpRanges, result.IpRangesIsList) = ReadConfigurationList(constraint, role, entry, field, allowSingle: true);
                                break;
                            default:
                                throw HipaaAccessPolicyException.ForRole(role, entry, field, $"is not a known constraint (expected '{TemporalField}' or '{IpRangeField}')");
                        }
                    }

                    break;
                default:
                    throw HipaaAccessPolicyException.ForRole(role, entry, property.Key, $"is not a known field (expected '{RoleField}', '{PermissionsField}' or '{ConstraintsField}')");
            }
        }

        return result;
    }

    private static (List<string> Values, bool IsList) ReadConfigurationList(IConfigurationSection section, string? role, int entry, string field, bool allowSingle)
    {
        List<IConfigurationSection> children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            if (allowSingle && !string.IsNullOrEmpty(section.Value))
            {
                return ([section.Value], false);
            }

            // An empty JSON array reaches configuration as an empty value or not at all.
            return (new List<string>(), true);
        }

        List<string> values = new();
        foreach (IConfigurationSection child in children)
        {
            if (child.Value is null)
            {
                throw HipaaAccessPolicyException.ForRole(role, entry, $"{field}[{child.Key}]", "must be a string");
            }

            values.Add(child.Value);
        }

        return (values, true);
    }

    private static IReadOnlyList<RoleDefinition> Validate(List<RawRole> raw, string? source)
    {
        if (raw.Count == 0)
        {
            throw HipaaAccessPolicyException.ForDocument(source, "no role definitions");
        }

        Dictionary<string, int> firstEntry = new(StringComparer.Ordinal);
        List<RoleDefinition> roles = new();
        foreach (RawRole item in raw)
        {
            if (!item.RoleSeen || item.Role is null)
            {
                throw HipaaAccessPolicyException.ForRole(null, item.Entry, RoleField, "is missing");
            }

            string role = item.Role;
            if (role.Length == 0 || role.Trim().Length != role.Length)
            {
                throw HipaaAccessPolicyException.ForRole(role, item.Entry, RoleField, "must be a non-empty name without leading or trailing spaces");
            }

            if (!firstEntry.TryAdd(role, item.Entry))
            {
                throw HipaaAccessPolicyException.ForRole(role, item.Entry, RoleField, $"duplicate role: also defined by entry #{firstEntry[role]}");
            }

            if (item.Permissions is null || item.Permissions.Count == 0)
            {
                throw HipaaAccessPolicyException.ForRole(role, item.Entry, PermissionsField, "is empty; a role must grant at least one permission");
            }

            for (int i = 0; i < item.Permissions.Count; i++)
            {
                string permission = item.Permissions[i];
                if (permission.Length == 0 || permission.Trim().Length != permission.Length || permission.Any(char.IsWhiteSpace))
                {
                    throw HipaaAccessPolicyException.ForRole(role, item.Entry, $"{PermissionsField}[{i}]", "must be a non-empty permission name without spaces");
                }
            }

            List<WeeklyWindow> windows = ParseWindows(item, role);
            List<IpRange> ranges = ParseRanges(item, role);
            roles.Add(new RoleDefinition(role, item.Permissions.Distinct(StringComparer.Ordinal).ToList(), windows, ranges));
        }

        return roles;
    }

    private static List<WeeklyWindow> ParseWindows(RawRole item, string role)
    {
        List<WeeklyWindow> windows = new();
        if (item.Temporal is null)
        {
            return windows;
        }

        string baseField = ConstraintsField + "." + TemporalField;
        if (item.Temporal.Count == 0)
        {
            throw HipaaAccessPolicyException.ForRole(role, item.Entry, baseField, "is empty; remove it to allow every hour");
        }

        for (int i = 0; i < item.Temporal.Count; i++)
        {
            string field = item.TemporalIsList ? $"{baseField}[{i}]" : baseField;
            WeeklyWindow window = WeeklyWindow.TryParse(item.Temporal[i], out string? error)
                ?? throw HipaaAccessPolicyException.ForRole(role, item.Entry, field, error!);
            for (int j = 0; j < windows.Count; j++)
            {
                if (WeeklyWindow.FirstOverlap(windows[j], window) is { } minute)
                {
                    throw HipaaAccessPolicyException.ForRole(role, item.Entry, field,
                        $"window '{window.Display}' overlaps '{windows[j].Display}' at {WeeklyWindow.DescribeWeekMinute(minute)}; merge them into one window");
                }
            }

            windows.Add(window);
        }

        return windows;
    }

    private static List<IpRange> ParseRanges(RawRole item, string role)
    {
        List<IpRange> ranges = new();
        if (item.IpRanges is null)
        {
            return ranges;
        }

        string baseField = ConstraintsField + "." + IpRangeField;
        if (item.IpRanges.Count == 0)
        {
            throw HipaaAccessPolicyException.ForRole(role, item.Entry, baseField, "is empty; remove it to allow every address");
        }

        for (int i = 0; i < item.IpRanges.Count; i++)
        {
            string field = item.IpRangesIsList ? $"{baseField}[{i}]" : baseField;
            IpRange range = IpRange.TryParse(item.IpRanges[i], out string? error)
                ?? throw HipaaAccessPolicyException.ForRole(role, item.Entry, field, error!);
            ranges.Add(range);
        }

        return ranges;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private sealed class RawRole
    {
        public RawRole(int entry, string? role)
        {
            Entry = entry;
            Role = role;
        }

        public int Entry { get; }

        public string? Role { get; }

        public bool RoleSeen { get; set; }

        public List<string>? Permissions { get; set; }

        public List<string>? Temporal { get; set; }

        public bool TemporalIsList { get; set; }

        public List<string>? IpRanges { get; set; }

        public bool IpRangesIsList { get; set; }
    }
}
