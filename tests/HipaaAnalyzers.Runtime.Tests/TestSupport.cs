using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>Keys and rings with distinctive bytes, so a leak into a message cannot go unnoticed.</summary>
internal static class TestKeys
{
    public static readonly DateTimeOffset Created = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A distinctive key; <paramref name="seed"/> makes keys differ.</summary>
    public static byte[] Material(int seed, int length = 32)
    {
        var key = new byte[length];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)((i * 37) + 0xA5 + (seed * 71));
        }

        return key;
    }

    public static DataKey Encryption(string id = "enc-1", int seed = 1, DateTimeOffset? created = null) =>
        DataKey.FromBytes(id, KeyPurpose.Encryption, Material(seed), created ?? Created);

    public static KeyRing Ring(params (DataKey Key, DataKeyStatus Status)[] entries) =>
        new(entries.Select(e => new KeyRingEntry(e.Key, e.Status)));

    public static KeyRing SingleEncryptionRing(string id = "enc-1", int seed = 1) =>
        Ring((Encryption(id, seed), DataKeyStatus.Active));
}

/// <summary>Plaintexts that cannot appear in a message by chance.</summary>
internal static class TestPlaintexts
{
    public const string Ssn = "PATIENT-SSN-123-45-6789";

    public static byte[] SsnBytes => Encoding.UTF8.GetBytes(Ssn);

    /// <summary>Asserts that a text contains neither the plaintext nor its hex or base64 forms.</summary>
    public static void NotRevealed(string text, byte[] plaintext)
    {
        Assert.DoesNotContain(Encoding.UTF8.GetString(plaintext), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(plaintext), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(plaintext), text, StringComparison.Ordinal);
        Assert.DoesNotContain("123-45-6789", text, StringComparison.Ordinal);
    }
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    public ManualTimeProvider(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A logger that keeps every formatted message and structured value.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Text)> Entries { get; } = new();

    public string AllText => string.Join("\n", Entries.Select(e => e.Text));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = new StringBuilder(formatter(state, exception));
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (KeyValuePair<string, object?> pair in values)
            {
                text.Append(" | ").Append(pair.Key).Append('=').Append(pair.Value);
            }
        }

        if (exception is not null)
        {
            text.Append(" | ").Append(exception);
        }

        Entries.Enqueue((logLevel, eventId, text.ToString()));
    }
}
