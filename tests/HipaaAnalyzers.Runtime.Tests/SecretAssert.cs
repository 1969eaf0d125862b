using System;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>Assertions that a text reveals no key material.</summary>
internal static class SecretAssert
{
    public static void DoesNotRevealKey(string text, byte[] key)
    {
        Assert.DoesNotContain(Convert.ToHexString(key), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(key).TrimEnd('='), text, StringComparison.Ordinal);
        Assert.DoesNotContain(string.Join(", ", key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(BitConverter.ToString(key), text, StringComparison.OrdinalIgnoreCase);

        // Not even a recognizable part of the key.
        Assert.DoesNotContain(Convert.ToHexString(key, 0, Math.Min(8, key.Length)), text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A key of distinctive, non-trivial bytes that cannot appear in a message by chance.</summary>
    public static byte[] DistinctiveKey(int length)
    {
        var key = new byte[length];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)((i * 37) + 0xA5);
        }

        return key;
    }
}
