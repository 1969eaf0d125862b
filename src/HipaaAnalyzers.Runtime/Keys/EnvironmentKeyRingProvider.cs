using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime;

/// <summary>The names of the environment variables that <see cref="EnvironmentKeyRingProvider"/> reads.</summary>
public sealed class EnvironmentKeyRingOptions
{
    /// <summary>The default name of the variable with the encryption keys.</summary>
    public const string DefaultEncryptionKeysVariable = "HIPAA_ENCRYPTION_KEYS";

    /// <summary>The default name of the variable with the blind index keys.</summary>
    public const string DefaultBlindIndexKeysVariable = "HIPAA_BLIND_INDEX_KEYS";

    /// <summary>The default name of the variable with the application keys.</summary>
    public const string DefaultApplicationKeysVariable = "HIPAA_APPLICATION_KEYS";

    /// <summary>
    /// Gets or sets the variable with the encryption keys: <c>id[@yyyy-MM-dd]:base64</c> entries separated
    /// by <c>;</c>, the first one active and the others retired. Default <c>HIPAA_ENCRYPTION_KEYS</c>.
    /// </summary>
    public string EncryptionKeysVariable { get; set; } = DefaultEncryptionKeysVariable;

    /// <summary>
    /// Gets or sets the variable with the blind index root keys, in the same format. Default
    /// <c>HIPAA_BLIND_INDEX_KEYS</c>.
    /// </summary>
    public string BlindIndexKeysVariable { get; set; } = DefaultBlindIndexKeysVariable;

    /// <summary>
    /// Gets or sets the variable with the pseudonymization key: plain base64, as read by
    /// <see cref="Phi.Pseudonymize(object)"/>, so both give the same tokens. Default
    /// <c>HIPAA_PSEUDONYMIZATION_KEY</c>.
    /// </summary>
    public string PseudonymizationKeyVariable { get; set; } = Phi.PseudonymizationKeyEnvironmentVariable;

    /// <summary>
    /// Gets or sets the variable with the <see cref="KeyPurpose.Application"/> keys: <c>name[@yyyy-MM-dd]:base64</c>
    /// entries separated by <c>;</c>, every one of them available to <see cref="HipaaKeys.Get(string)"/> by
    /// its name. Default <c>HIPAA_APPLICATION_KEYS</c>.
    /// </summary>
    public string ApplicationKeysVariable { get; set; } = DefaultApplicationKeysVariable;
}

/// <summary>
/// An <see cref="IKeyRingProvider"/> that reads keys from environment variables, once, when it is
/// created. Simple to deploy (container secrets, CI variables), but any process that can read the
/// environment can read the keys: prefer <see cref="FileKeyRingProvider"/> with a master key, or a
/// secret-store provider, in production.
/// </summary>
/// <remarks>
/// <para>Variables (names configurable with <see cref="EnvironmentKeyRingOptions"/>):</para>
/// <list type="bullet">
/// <item><description>
/// <c>HIPAA_ENCRYPTION_KEYS</c>: <c>enc-2025q3@2025-07-01:BASE64;enc-2025q2@2025-04-01:BASE64</c>. The first
/// entry is the active key, the others are retired and still decrypt. The date is optional and feeds the
/// key age check.
/// </description></item>
/// <item><description><c>HIPAA_BLIND_INDEX_KEYS</c>: the same format, for blind index root keys.</description></item>
/// <item><description>
/// <c>HIPAA_PSEUDONYMIZATION_KEY</c>: one base64 key (key id <c>env-pseudonymization</c>), the variable
/// <see cref="Phi.Pseudonymize(object)"/> reads by default.
/// </description></item>
/// <item><description>
/// <c>HIPAA_APPLICATION_KEYS</c>: <c>jwt-signing:BASE64;webhook-hmac@2025-07-01:BASE64</c>, named keys that
/// application code reads with <see cref="HipaaKeys.Get(string)"/>; all of them are available at once.
/// </description></item>
/// </list>
/// <para>
/// Unset variables are skipped. Errors throw <see cref="PhiConfigurationException"/> with the variable
/// name and entry number, never the value. The provider owns the keys and zeroes them on
/// <see cref="Dispose"/>.
/// </para>
/// </remarks>
public sealed partial class EnvironmentKeyRingProvider : IKeyRingProvider, IDisposable
{
    /// <summary>The key id given to the key in the pseudonymization key variable.</summary>
    public const string PseudonymizationKeyId = "env-pseudonymization";

    private readonly KeyRing _keyRing;
    private readonly List<DataKey> _keys = new();

    /// <summary>Initializes a new instance of the <see cref="EnvironmentKeyRingProvider"/> class with the default variable names.</summary>
    /// <exception cref="PhiConfigurationException">A variable is malformed.</exception>
    public EnvironmentKeyRingProvider()
        : this(new EnvironmentKeyRingOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EnvironmentKeyRingProvider"/> class.</summary>
    /// <param name="options">The variable names.</param>
    /// <param name="logger">Receives a summary of the loaded ring (key ids only); optional.</param>
    /// <exception cref="PhiConfigurationException">A variable is malformed.</exception>
    public EnvironmentKeyRingProvider(EnvironmentKeyRingOptions options, ILogger<EnvironmentKeyRingProvider>? logger = null)
        : this(options, Environment.GetEnvironmentVariable, logger)
    {
    }

    internal EnvironmentKeyRingProvider(EnvironmentKeyRingOptions options, Func<string, string?> getVariable, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getVariable);
        logger ??= NullLogger.Instance;

        var entries = new List<KeyRingEntry>();
        try
        {
            AddList(entries, options.EncryptionKeysVariable, getVariable, KeyPurpose.Encryption);
            AddList(entries, options.BlindIndexKeysVariable, getVariable, KeyPurpose.BlindIndex);
            AddList(entries, options.ApplicationKeysVariable, getVariable, KeyPurpose.Application);

            string? pseudonymization = getVariable(options.PseudonymizationKeyVariable);
            if (pseudonymization is not null)
            {
                byte[] material = EnvironmentKeyParser.DecodeKey(
                    options.PseudonymizationKeyVariable,
                    pseudonymization.AsSpan().Trim(),
                    string.Empty,
                    PhiPseudonymizer.MinimumKeySizeInBytes,
                    DataKey.MaximumKeySizeInBytes,
                    CryptoHelpers.FormatInvariant($"Set it to {PhiPseudonymizer.MinimumKeySizeInBytes} to {DataKey.MaximumKeySizeInBytes} random bytes encoded as base64."));
                try
                {
                    DataKey key = DataKey.FromBytes(PseudonymizationKeyId, KeyPurpose.Pseudonymization, material);
                    _keys.Add(key);
                    entries.Add(new KeyRingEntry(key, DataKeyStatus.Active));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(material);
                }
            }

            // The ring's own checks (duplicate ids across variables, a key reused across purposes) name key ids only.
            _keyRing = new KeyRing(entries, static problem => new PhiConfigurationException("The keys in the environment do not form a valid key ring: " + problem));
        }
        catch
        {
            Dispose();
            throw;
        }

        Log.Loaded(logger, _keys.Count, _keyRing.GetActiveKey(KeyPurpose.Encryption)?.KeyId ?? "(none)");
    }

    /// <inheritdoc/>
    public KeyRing GetKeyRing() => _keyRing;

    /// <summary>Returns a description of the ring; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "EnvironmentKeyRingProvider: " + _keyRing;

    /// <summary>Zeroes the keys read from the environment.</summary>
    public void Dispose()
    {
        foreach (DataKey key in _keys)
        {
            key.Dispose();
        }
    }

    private void AddList(List<KeyRingEntry> entries, string variable, Func<string, string?> getVariable, KeyPurpose purpose)
    {
        string? value = getVariable(variable);
        if (value is null)
        {
            return;
        }

        List<DataKey> keys = EnvironmentKeyParser.ParseKeyList(variable, value, purpose);
        _keys.AddRange(keys);
        for (int i = 0; i < keys.Count; i++)
        {
            // Application keys are each their own key and all in use; the other lists name one active key first.
            entries.Add(new KeyRingEntry(keys[i], i == 0 || purpose == KeyPurpose.Application ? DataKeyStatus.Active : DataKeyStatus.Retired));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, EventName = "EnvironmentKeyRingLoaded", Level = LogLevel.Information,
            Message = "Loaded {KeyCount} key(s) from the environment; the active encryption key is {ActiveKeyId}.")]
        public static partial void Loaded(ILogger logger, int keyCount, string activeKeyId);
    }
}
