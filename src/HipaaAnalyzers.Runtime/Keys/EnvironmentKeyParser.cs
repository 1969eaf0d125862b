using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Reads keys from environment variable values. Every error names the variable (and the entry number)
/// and says what is expected, but never echoes the value: it is a secret.
/// </summary>
internal static class EnvironmentKeyParser
{
    public const string KeyListSyntax = "<key id>[@<yyyy-MM-dd>]:<base64 key>, entries separated by ';'";

    /// <summary>
    /// Decodes a base64 key into a pinned buffer that the caller must zero. The decoded length is checked
    /// against <paramref name="minimumLength"/> and <paramref name="maximumLength"/>.
    /// </summary>
    public static byte[] DecodeKey(string variable, ReadOnlySpan<char> base64, string where, int minimumLength, int maximumLength, string hint)
    {
        // Decoded length never exceeds 3/4 of the encoded length.
        byte[] decoded = CryptoHelpers.AllocateKeyBuffer((base64.Length / 4 * 3) + 3);
        try
        {
            if (!Convert.TryFromBase64Chars(base64, decoded, out int length))
            {
                throw new PhiConfigurationException(
                    CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} is not valid base64. {hint}"));
            }

            if (length < minimumLength)
            {
                throw new PhiConfigurationException(
                    CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} decodes to fewer than {minimumLength} bytes. {hint}"));
            }

            if (length > maximumLength)
            {
                throw new PhiConfigurationException(
                    CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} decodes to more than {maximumLength} bytes. {hint}"));
            }

            byte[] key = CryptoHelpers.AllocateKeyBuffer(length);
            decoded.AsSpan(0, length).CopyTo(key);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }

    /// <summary>
    /// Parses <c>id[@date]:base64</c> entries separated by <c>;</c> (or <c>,</c>). The first entry is the
    /// active key; the others are retired. The caller owns (and disposes) the keys.
    /// </summary>
    public static List<DataKey> ParseKeyList(string variable, string value, KeyPurpose purpose)
    {
        var keys = new List<DataKey>();
        try
        {
            string[] entries = value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (entries.Length == 0)
            {
                throw new PhiConfigurationException(
                    CryptoHelpers.FormatInvariant($"The environment variable {variable} is set but holds no key. Expected: {KeyListSyntax}."));
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < entries.Length; i++)
            {
                string where = CryptoHelpers.FormatInvariant($" (entry {i + 1})");
                string entry = entries[i];
                int colon = entry.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new PhiConfigurationException(
                        CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} is not of the form {KeyListSyntax}."));
                }

                string name = entry.Substring(0, colon).Trim();
                DateTimeOffset? createdAt = null;
                int at = name.IndexOf('@', StringComparison.Ordinal);
                if (at >= 0)
                {
                    if (!DateTimeOffset.TryParse(name.AsSpan(at + 1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset created))
                    {
                        throw new PhiConfigurationException(
                            CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} has a creation date that is not a date; use yyyy-MM-dd."));
                    }

                    createdAt = created;
                    name = name.Substring(0, at);
                }

                if (!DataKey.IsValidKeyId(name))
                {
                    throw new PhiConfigurationException(
                        CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} has an invalid key id: use 1 to {DataKey.MaximumKeyIdLength} characters from A-Z a-z 0-9 . _ -."));
                }

                if (!ids.Add(name))
                {
                    throw new PhiConfigurationException(
                        CryptoHelpers.FormatInvariant($"The environment variable {variable}{where} repeats the key id '{name}'."));
                }

                byte[] material = DecodeKey(
                    variable,
                    entry.AsSpan(colon + 1).Trim(),
                    where,
                    DataKey.MinimumKeySizeInBytes,
                    DataKey.MaximumKeySizeInBytes,
                    CryptoHelpers.FormatInvariant($"Each key must be {DataKey.MinimumKeySizeInBytes} to {DataKey.MaximumKeySizeInBytes} random bytes encoded as base64, for example from 'openssl rand -base64 32'."));
                try
                {
                    keys.Add(DataKey.FromBytes(name, purpose, material, createdAt));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(material);
                }
            }

            return keys;
        }
        catch
        {
            foreach (DataKey key in keys)
            {
                key.Dispose();
            }

            throw;
        }
    }
}
