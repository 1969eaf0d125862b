using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HipaaAnalyzers.Runtime.AspNetCore.Policies;

/// <summary>
/// An IPv4 or IPv6 CIDR range. IPv4-mapped IPv6 ranges of /96 or longer (<c>::ffff:10.0.0.0/104</c>) are stored as
/// the IPv4 range they denote, and IPv4-mapped client addresses are matched as IPv4, so one rule covers clients on
/// dual-stack sockets. Otherwise an IPv4 address never matches an IPv6 range, nor the reverse.
/// </summary>
internal sealed class IpRange
{
    private readonly byte[] _network;

    private IpRange(byte[] network, int prefixLength, string text)
    {
        _network = network;
        PrefixLength = prefixLength;
        Text = text;
    }

    public int PrefixLength { get; }

    public string Text { get; }

    public bool IsIPv4 => _network.Length == 4;

    /// <summary>Parses <c>address</c> or <c>address/prefix</c>; on failure returns null and says why.</summary>
    public static IpRange? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return null;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        IPAddress? address = ParseAddressStrict(addressText);
        if (address is null)
        {
            error = $"'{addressText}' is not an IPv4 or IPv6 address";
            return null;
        }

        byte[] bytes = address.GetAddressBytes();
        int maxPrefix = bytes.Length * 8;
        int prefix = maxPrefix;
        if (slash >= 0)
        {
            string prefixText = text[(slash + 1)..];
            if (prefixText.Length == 0 || prefixText.Length > 3 || !IsDigits(prefixText))
            {
                error = $"prefix length '{prefixText}' is not a number from 0 to {maxPrefix}";
                return null;
            }

            prefix = int.Parse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture);
            if (prefix > maxPrefix)
            {
                error = $"prefix length {prefix} is longer than {maxPrefix} for an {(bytes.Length == 4 ? "IPv4" : "IPv6")} address";
                return null;
            }
        }

        if (!HostBitsClear(bytes, prefix))
        {
            byte[] network = (byte[])bytes.Clone();
            ClearHostBits(network, prefix);
            error = $"'{text}' has address bits set after the /{prefix} prefix (did you mean {new IPAddress(network)}/{prefix}?)";
            return null;
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            return new IpRange(bytes[12..], prefix - 96, text);
        }

        return new IpRange(bytes, prefix, text);
    }

    /// <summary>
    /// Parses an IP address, rejecting the shorthand forms <see cref="IPAddress.TryParse(string, out IPAddress)"/>
    /// accepts for IPv4 (<c>10.1</c>, <c>0x0a000001</c>, <c>167772161</c>) and IPv6 scope ids.
    /// </summary>
    public static IPAddress? ParseAddressStrict(string text)
    {
        if (text.Length == 0 || text.Length > 45)
        {
            return null;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return !text.Contains('%', StringComparison.Ordinal)
                && IPAddress.TryParse(text, out IPAddress? v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6
                : null;
        }

        string[] parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length is 0 or > 3 || !IsDigits(part))
            {
                return null;
            }

            int value = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return null;
            }

            octets[i] = (byte)value;
        }

        return new IPAddress(octets);
    }

    /// <summary>An IPv4-mapped IPv6 address as IPv4; any other address unchanged.</summary>
    public static IPAddress Normalize(IPAddress address)
        => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public bool Contains(IPAddress address)
    {
        byte[] bytes = Normalize(address).GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }

        int fullBytes = PrefixLength / 8;
        for (int i = 0; i < fullBytes; i++)
        {
            if (bytes[i] != _network[i])
            {
                return false;
            }
        }

        int remaining = PrefixLength % 8;
        if (remaining == 0)
        {
            return true;
        }

        int mask = 0xFF << (8 - remaining) & 0xFF;
        return (bytes[fullBytes] & mask) == _network[fullBytes];
    }

    public override string ToString() => Text;

    private static bool IsDigits(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool HostBitsClear(byte[] bytes, int prefix)
    {
        byte[] copy = (byte[])bytes.Clone();
        ClearHostBits(copy, prefix);
        return copy.AsSpan().SequenceEqual(bytes);
    }

    private static void ClearHostBits(byte[] bytes, int prefix)
    {
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
    }
}
