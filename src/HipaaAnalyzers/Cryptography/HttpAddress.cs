using System;

namespace HipaaAnalyzers.Cryptography;

/// <summary>Reading the host and port of an http:// address as written in code, and the hosts that need no encryption.</summary>
internal static class HttpAddress
{
    /// <summary>The host of an http:// address, or null when it is not written out (<c>$"http://{host}/"</c>).</summary>
    public static string? HostOf(string address)
    {
        var rest = address.Substring("http://".Length);
        int at = rest.IndexOf('@');
        int slash = rest.IndexOfAny(new[] { '/', '?', '#' });
        if (at >= 0 && (slash < 0 || at < slash))
        {
            rest = rest.Substring(at + 1);
        }

        if (rest.StartsWith("[", StringComparison.Ordinal))
        {
            int close = rest.IndexOf(']');
            return close > 0 ? rest.Substring(0, close + 1) : null;
        }

        int end = rest.IndexOfAny(new[] { '/', '?', '#', ':' });
        var host = end < 0 ? rest : rest.Substring(0, end);
        return host.Length == 0 ? null : host;
    }

    /// <summary>Whether the address has an explicit port ("http://host:8080/").</summary>
    public static bool HasPort(string address)
    {
        var host = HostOf(address);
        if (host is null)
        {
            return false;
        }

        int index = address.IndexOf(host, "http://".Length, StringComparison.OrdinalIgnoreCase);
        int after = index + host.Length;
        return index >= 0 && after < address.Length && address[after] == ':';
    }

    /// <summary>
    /// Hosts whose http:// URIs are names, not servers: XML and schema namespaces and the code systems and identifier
    /// systems of healthcare standards (FHIR, LOINC, SNOMED CT, UCUM). Each entry also covers its subdomains
    /// ("terminology.hl7.org", "www.w3.org").
    /// </summary>
    private static readonly string[] IdentifierDomains =
    {
        "w3.org", "purl.org", "xmlns.com", "ns.adobe.com", "docs.oasis-open.org",
        "hl7.org", "loinc.org", "snomed.info", "unitsofmeasure.org", "example.com", "example.org", "example.net",
    };

    /// <summary>
    /// Whether an http:// URI with this host names something rather than locating a server (see
    /// <see cref="IdentifierDomains"/>), or is a schema namespace on a "schemas." host ("schemas.xmlsoap.org",
    /// "schemas.microsoft.com"). Nothing is sent to such an address, whatever code it reaches.
    /// </summary>
    public static bool IsIdentifierHost(string host)
    {
        var h = host.TrimEnd('.');
        if (h.StartsWith("schemas.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var domain in IdentifierDomains)
        {
            if (h.EndsWith(domain, StringComparison.OrdinalIgnoreCase) &&
                (h.Length == domain.Length || h[h.Length - domain.Length - 1] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsLoopback(string host)
    {
        var h = host.TrimEnd('.').ToLowerInvariant();
        if (h is "localhost" or "[::1]" or "::1" || h.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return true;
        }

        // 127.0.0.0/8
        var parts = h.Split('.');
        return parts.Length == 4 && parts[0] == "127" &&
               Array.TrueForAll(parts, p => p.Length is > 0 and <= 3 && int.TryParse(p, out var n) && n <= 255);
    }
}
