using System;
using System.Collections.Generic;
using System.Net;
using HipaaAnalyzers.Runtime.AspNetCore.Policies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>
/// The client address of a request: the connection's remote address, replaced by forwarded-header entries only
/// while the hop that supplied them is a trusted proxy.
/// </summary>
internal sealed class ClientAddressResolver
{
    private readonly string? _headerName;
    private readonly List<IpRange> _trusted = new();

    public ClientAddressResolver(IOptions<HipaaAuditOptions> options)
    {
        HipaaAuditOptions value = options.Value;
        _headerName = string.IsNullOrWhiteSpace(value.ForwardedForHeaderName) ? null : value.ForwardedForHeaderName;
        for (int i = 0; i < value.TrustedProxies.Count; i++)
        {
            string entry = value.TrustedProxies[i];
            IpRange range = IpRange.TryParse(entry, out string? error)
                ?? throw new InvalidOperationException($"HipaaAuditOptions.TrustedProxies[{i}]: {error}.");
            _trusted.Add(range);
        }
    }

    public IPAddress? Resolve(HttpContext context)
    {
        IPAddress? current = context.Connection.RemoteIpAddress;
        if (current is null)
        {
            return null;
        }

        current = IpRange.Normalize(current);
        if (_headerName is null || _trusted.Count == 0 || !IsTrusted(current))
        {
            return current;
        }

        StringValues values = context.Request.Headers[_headerName];
        if (values.Count == 0)
        {
            return current;
        }

        // Entries are appended by each proxy, so the rightmost came from the hop we trust; walk left while the
        // address that supplied the entry is trusted. Several header lines count as one comma-separated list.
        List<string> entries = new();
        foreach (string? line in values)
        {
            if (line is not null)
            {
                entries.AddRange(line.Split(',', StringSplitOptions.TrimEntries));
            }
        }

        for (int i = entries.Count - 1; i >= 0; i--)
        {
            IPAddress? hop = ParseEntry(entries[i]);
            if (hop is null)
            {
                break;
            }

            current = IpRange.Normalize(hop);
            if (!IsTrusted(current))
            {
                break;
            }
        }

        return current;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (IpRange range in _trusted)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress? ParseEntry(string entry)
    {
        if (entry.Length == 0)
        {
            return null;
        }

        IPAddress? address = IpRange.ParseAddressStrict(entry);
        if (address is not null)
        {
            return address;
        }

        // "203.0.113.7:4711" or "[2001:db8::1]:4711"
        string host;
        string port;
        if (entry.StartsWith('['))
        {
            int close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= entry.Length || entry[close + 1] != ':')
            {
                return close == entry.Length - 1 ? IpRange.ParseAddressStrict(entry[1..close]) : null;
            }

            host = entry[1..close];
            port = entry[(close + 2)..];
        }
        else
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || entry.IndexOf(':', colon + 1) >= 0)
            {
                return null;
            }

            host = entry[..colon];
            port = entry[(colon + 1)..];
        }

        if (port.Length is 0 or > 5 || !ushort.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        return IpRange.ParseAddressStrict(host);
    }
}
