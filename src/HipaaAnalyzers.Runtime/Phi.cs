using System;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Sanitizers for protected health information (PHI): use them wherever a PHI value would otherwise
/// reach a log, an exception message, telemetry or a URL.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Redact(object)"/> replaces a value with a constant marker. Use it when nobody needs to
/// tell values apart.
/// </para>
/// <para>
/// <see cref="Pseudonymize(object)"/> replaces a value with a stable keyed token, so the same patient
/// can be followed across log lines without revealing who the patient is. The key comes from the
/// <c>HIPAA_PSEUDONYMIZATION_KEY</c> environment variable, or from a key ring
/// (<see cref="UseKeyRing(IKeyRingProvider)"/>) or <see cref="UsePseudonymizer(PhiPseudonymizer)"/>; see
/// <see cref="Pseudonymize(object)"/>.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class Phi
{
    /// <summary>
    /// The name of the environment variable that holds the default pseudonymization key: at least 32
    /// bytes, base64-encoded.
    /// </summary>
    public const string PseudonymizationKeyEnvironmentVariable = "HIPAA_PSEUDONYMIZATION_KEY";

    internal const string RedactedText = "[REDACTED]";

    // The pseudonymizer resolved from the environment, created on first use only.
    private static readonly Lazy<PhiPseudonymizer> s_environmentPseudonymizer = new(
        () => CreateDefaultPseudonymizer(Environment.GetEnvironmentVariable(PseudonymizationKeyEnvironmentVariable)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    // Set once at application startup by UsePseudonymizer; takes precedence over the environment.
    private static PhiPseudonymizer? s_configuredPseudonymizer;

    /// <summary>
    /// Returns the constant marker <c>"[REDACTED]"</c> in place of <paramref name="value"/>.
    /// </summary>
    /// <param name="value">The PHI value to hide. It is not read, formatted or stored.</param>
    /// <returns>
    /// <c>"[REDACTED]"</c> for every input, <see langword="null"/> included, so the output reveals
    /// neither the value nor whether there was one.
    /// </returns>
    /// <remarks>The method does not allocate: it returns a cached constant string.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Redact(object? value) => RedactedText;

    /// <summary>
    /// Returns a stable keyed pseudonym for <paramref name="value"/>: <c>"phi_"</c> followed by 32
    /// lowercase hexadecimal characters (the first 16 bytes of an HMAC-SHA256), or <c>"phi_null"</c>
    /// for <see langword="null"/>.
    /// </summary>
    /// <param name="value">
    /// The PHI value to pseudonymize, typically an identifier such as a medical record number. It is
    /// formatted with the invariant culture; see <see cref="PhiPseudonymizer.Pseudonymize(object)"/>.
    /// </param>
    /// <returns>The token; it contains no part of the value.</returns>
    /// <remarks>
    /// <para>
    /// The same value gives the same token for as long as the key stays the same, and a token cannot
    /// be traced back to the value without the key. The key is chosen once, on first use:
    /// </para>
    /// <list type="bullet">
    /// <item><description>
    /// the pseudonymizer passed to <see cref="UsePseudonymizer(PhiPseudonymizer)"/>, if any;
    /// </description></item>
    /// <item><description>
    /// otherwise the key in the <c>HIPAA_PSEUDONYMIZATION_KEY</c> environment variable (base64, at
    /// least 32 bytes once decoded), so tokens correlate across processes and restarts that share the
    /// key;
    /// </description></item>
    /// <item><description>
    /// otherwise a random 32-byte key generated for this process: tokens then correlate within the
    /// process only and change on every restart.
    /// </description></item>
    /// </list>
    /// </remarks>
    /// <exception cref="PhiConfigurationException">
    /// <c>HIPAA_PSEUDONYMIZATION_KEY</c> is set but is not valid base64 or decodes to fewer than 32
    /// bytes, and no pseudonymizer was configured with <see cref="UsePseudonymizer(PhiPseudonymizer)"/>.
    /// </exception>
    public static string Pseudonymize(object? value) => CurrentPseudonymizer.Pseudonymize(value);

    /// <summary>
    /// Makes <see cref="Pseudonymize(object)"/> use <paramref name="pseudonymizer"/> instead of the key
    /// from the environment.
    /// </summary>
    /// <param name="pseudonymizer">The pseudonymizer to use from now on.</param>
    /// <remarks>
    /// Call it once, at application startup, before anything is logged: tokens produced before the
    /// call were made with a different key and do not correlate with later ones. The replacement is
    /// thread-safe and takes effect for all threads immediately. When this method is used, the
    /// <c>HIPAA_PSEUDONYMIZATION_KEY</c> environment variable is not read.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="pseudonymizer"/> is <see langword="null"/>.</exception>
    public static void UsePseudonymizer(PhiPseudonymizer pseudonymizer)
    {
        ArgumentNullException.ThrowIfNull(pseudonymizer);
        Volatile.Write(ref s_configuredPseudonymizer, pseudonymizer);
    }

    /// <summary>
    /// Makes <see cref="Pseudonymize(object)"/> use the active pseudonymization key of a key ring, so
    /// pseudonyms come from the same managed keys as field encryption. With dependency injection, call
    /// <see cref="HipaaServiceCollectionExtensions.UseHipaaPseudonymizerForPhi(IServiceProvider)"/> instead.
    /// </summary>
    /// <param name="keyRingProvider">The key ring provider; its active <see cref="KeyPurpose.Pseudonymization"/> key is read now.</param>
    /// <remarks>
    /// Call it once at startup, as for <see cref="UsePseudonymizer(PhiPseudonymizer)"/>. The key is copied:
    /// a later change of the ring's pseudonymization key takes effect only when this method is called again.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="keyRingProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="PhiConfigurationException">The key ring has no active pseudonymization key.</exception>
    public static void UseKeyRing(IKeyRingProvider keyRingProvider)
    {
        ArgumentNullException.ThrowIfNull(keyRingProvider);
        UsePseudonymizer(new PhiPseudonymizer(keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.Pseudonymization)));
    }

    private static PhiPseudonymizer CurrentPseudonymizer =>
        Volatile.Read(ref s_configuredPseudonymizer) ?? s_environmentPseudonymizer.Value;

    /// <summary>
    /// Creates the default pseudonymizer from the raw value of the <c>HIPAA_PSEUDONYMIZATION_KEY</c>
    /// environment variable: a random per-process key when it is <see langword="null"/> (unset), the
    /// decoded key otherwise.
    /// </summary>
    /// <param name="environmentValue">The raw variable value, or <see langword="null"/> when unset.</param>
    /// <returns>The pseudonymizer.</returns>
    /// <exception cref="PhiConfigurationException">The value is not base64 or is too short.</exception>
    internal static PhiPseudonymizer CreateDefaultPseudonymizer(string? environmentValue)
    {
        if (environmentValue is null)
        {
            return CreateRandomPseudonymizer();
        }

        // Decoded length never exceeds 3/4 of the encoded length.
        byte[] decoded = new byte[(environmentValue.Length / 4 * 3) + 3];
        try
        {
            // The messages below name the variable but never echo its value: it is a secret.
            if (!Convert.TryFromBase64String(environmentValue, decoded, out int length))
            {
                throw new PhiConfigurationException(
                    $"The environment variable {PseudonymizationKeyEnvironmentVariable} is not valid base64. " +
                    $"Set it to at least {PhiPseudonymizer.MinimumKeySizeInBytes} random bytes encoded as base64, or unset it to use a random per-process key.");
            }

            if (length < PhiPseudonymizer.MinimumKeySizeInBytes)
            {
                throw new PhiConfigurationException(
                    $"The environment variable {PseudonymizationKeyEnvironmentVariable} decodes to fewer than {PhiPseudonymizer.MinimumKeySizeInBytes} bytes. " +
                    $"Set it to at least {PhiPseudonymizer.MinimumKeySizeInBytes} random bytes encoded as base64, or unset it to use a random per-process key.");
            }

            return new PhiPseudonymizer(decoded.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }

    private static PhiPseudonymizer CreateRandomPseudonymizer()
    {
        Span<byte> key = stackalloc byte[PhiPseudonymizer.MinimumKeySizeInBytes];
        try
        {
            RandomNumberGenerator.Fill(key);
            return new PhiPseudonymizer(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
