namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Supplies the current <see cref="KeyRing"/> to field encryption, blind indexes and pseudonymization.
/// Implement it to load data keys from a secret store such as HashiCorp Vault or a cloud key vault.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="GetKeyRing"/> is called on every encryption and decryption, so implementations load the
/// ring once (or on a schedule of their own), cache it, and return the cached instance: the call must be
/// cheap, thread-safe and non-blocking after the first. Return a new ring to rotate; never mutate keys.
/// </para>
/// <para>
/// Built-in providers: <see cref="EnvironmentKeyRingProvider"/> (keys in environment variables),
/// <see cref="FileKeyRingProvider"/> (a key ring file whose keys are wrapped by an <see cref="IMasterKey"/>,
/// by default a master key from the environment) and <see cref="InMemoryKeyRingProvider"/> (tests). A
/// cloud KMS that wraps keys rather than storing them is better plugged in as an <see cref="IMasterKey"/>
/// for the file key ring. Keep the keys out of the store that holds the PHI they protect.
/// </para>
/// </remarks>
public interface IKeyRingProvider
{
    /// <summary>Returns the current key ring.</summary>
    /// <returns>The key ring; never <see langword="null"/>.</returns>
    /// <exception cref="FieldEncryptionException">The keys could not be loaded (for example a malformed key file).</exception>
    /// <exception cref="PhiConfigurationException">The key configuration is invalid (for example a missing master key).</exception>
    KeyRing GetKeyRing();
}
