using System;
using System.Collections.Generic;
using System.Threading;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Application keys from the key ring, for code that must hand raw key bytes to a .NET API: an
/// <c>HMACSHA256</c>, an <c>AesGcm</c>, a JWT <c>SymmetricSecurityKey</c>. Use it instead of a key written in
/// the code (HIPAA201).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Get(string)"/> reads the <see cref="KeyPurpose.Application"/> key of that name from the key ring
/// provider set with <see cref="UseKeyRing(IKeyRingProvider)"/>, or, when none was set, from an
/// <see cref="EnvironmentKeyRingProvider"/> created on first use (so the key comes from the
/// <c>HIPAA_APPLICATION_KEYS</c> environment variable). With dependency injection, call
/// <see cref="HipaaServiceCollectionExtensions.UseHipaaKeyRingForApplicationKeys(IServiceProvider)"/> at
/// startup so both read the same ring.
/// </para>
/// <para>
/// Encryption, blind index and pseudonymization keys are never exported. All members are thread-safe.
/// </para>
/// </remarks>
public static class HipaaKeys
{
    private static readonly Lazy<IKeyRingProvider> s_environmentProvider = new(
        () => new EnvironmentKeyRingProvider(),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static IKeyRingProvider? s_configuredProvider;

    /// <summary>
    /// Returns a copy of the bytes of the application key named <paramref name="name"/> in the current key
    /// ring; see <see cref="KeyRing.ExportApplicationKey(string)"/>.
    /// </summary>
    /// <param name="name">The key's name (its key id), for example <c>jwt-signing</c>.</param>
    /// <returns>A new array of 32 to 64 bytes that the caller owns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key id.</exception>
    /// <exception cref="KeyNotFoundException">The key ring holds no key of that name.</exception>
    /// <exception cref="InvalidOperationException">The key of that name is not an application key.</exception>
    /// <exception cref="PhiConfigurationException">
    /// No provider was set and the key variables in the environment are malformed (for example a key shorter
    /// than 32 bytes); the message names the variable and entry, never the value.
    /// </exception>
    public static byte[] Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CurrentProvider.GetKeyRing().ExportApplicationKey(name);
    }

    /// <summary>
    /// Makes <see cref="Get(string)"/> read from <paramref name="keyRingProvider"/> instead of the environment.
    /// Call it once at startup, before the first key is read; the ring is read on every call, so a rotated
    /// ring is seen by later calls.
    /// </summary>
    /// <param name="keyRingProvider">The key ring provider.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyRingProvider"/> is <see langword="null"/>.</exception>
    public static void UseKeyRing(IKeyRingProvider keyRingProvider)
    {
        ArgumentNullException.ThrowIfNull(keyRingProvider);
        Volatile.Write(ref s_configuredProvider, keyRingProvider);
    }

    /// <summary>Forgets the provider set with <see cref="UseKeyRing(IKeyRingProvider)"/> (tests).</summary>
    internal static void Reset() => Volatile.Write(ref s_configuredProvider, null);

    private static IKeyRingProvider CurrentProvider =>
        Volatile.Read(ref s_configuredProvider) ?? s_environmentProvider.Value;
}
