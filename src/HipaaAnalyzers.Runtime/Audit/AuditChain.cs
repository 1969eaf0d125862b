using System;
using System.Security.Cryptography;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// Constants and the hash function of the audit hash chain. Every record carries <c>prev</c>, the hash of the record
/// before it (<see cref="GenesisHash"/> for the first), and <c>hash</c>, the SHA-256 of its own canonical bytes with
/// <c>prev</c> included and <c>hash</c> left out. See <c>docs/runtime/audit.md</c> for the byte-exact definition.
/// </summary>
public static class AuditChain
{
    /// <summary>The <c>prev</c> value of the first record of a chain: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The length of a hash in a record: 64 lowercase hexadecimal characters (SHA-256).</summary>
    public const int HashLength = 64;

    /// <summary>
    /// The maximum length of one record line in bytes, line end excluded. Writers reject larger events (an audit
    /// event names a resource, it does not carry one); verifiers report longer lines as malformed.
    /// </summary>
    public const int MaximumLineLength = 64 * 1024;

    /// <summary>Computes the hash of a record from its canonical bytes (the record without its <c>hash</c> member).</summary>
    /// <param name="canonicalBytes">The canonical UTF-8 bytes: the line up to and including <c>"prev":"..."</c>, then <c>}</c>.</param>
    /// <returns>SHA-256 in lowercase hexadecimal.</returns>
    public static string ComputeHash(ReadOnlySpan<byte> canonicalBytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(canonicalBytes, digest);
        return CryptoHelpers.ToLowerHex(digest);
    }

    /// <summary>Tells whether a value is a well-formed chain hash: 64 lowercase hexadecimal characters.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when well formed.</returns>
    public static bool IsWellFormedHash(string? value)
    {
        if (value is null || value.Length != HashLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
