using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Registers the HipaaAnalyzers runtime services: field encryption, re-encryption, blind indexes,
/// pseudonymization, the key age check and PHI redaction.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddHipaaEncryption()
///     .UseFileKeyRing("/run/secrets/hipaa-keyring.json")     // master key from HIPAA_MASTER_KEY
///     .ConfigureKeyRotation(o => o.EncryptionKeyRotationPeriod = TimeSpan.FromDays(90));
/// builder.Services.AddHipaaBlindIndexes();
/// builder.Services.AddHipaaRedaction(PhiRedactionMode.Pseudonymize);
/// builder.Logging.EnableRedaction();
/// </code>
/// </example>
public static class HipaaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the key ring provider (by default <see cref="EnvironmentKeyRingProvider"/>; choose another
    /// with the returned builder), <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is
    /// registered, and <see cref="KeyAgeCheck"/>. The other <c>AddHipaa...</c> methods call it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to choose where keys come from.</returns>
    public static HipaaKeysBuilder AddHipaaKeys(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKeyRingProvider>(sp => new EnvironmentKeyRingProvider(
            sp.GetRequiredService<IOptions<EnvironmentKeyRingOptions>>().Value,
            sp.GetService<ILogger<EnvironmentKeyRingProvider>>()));
        services.TryAddSingleton(sp => new KeyAgeCheck(
            sp.GetRequiredService<IKeyRingProvider>(),
            sp.GetRequiredService<IOptions<KeyRotationOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<KeyAgeCheck>>()));
        return new HipaaKeysBuilder(services);
    }

    /// <summary>Registers <see cref="FieldEncryptor"/> and <see cref="FieldReEncryptor"/> (singletons), and the key services.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to choose where keys come from.</returns>
    public static HipaaKeysBuilder AddHipaaEncryption(this IServiceCollection services)
    {
        HipaaKeysBuilder builder = services.AddHipaaKeys();
        services.TryAddSingleton(sp => new FieldEncryptor(sp.GetRequiredService<IKeyRingProvider>()));
        services.TryAddSingleton(sp => new FieldReEncryptor(sp.GetRequiredService<FieldEncryptor>(), sp.GetService<ILogger<FieldReEncryptor>>()));
        return builder;
    }

    /// <summary>Registers <see cref="BlindIndexer"/> (singleton), and the key services.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to choose where keys come from.</returns>
    public static HipaaKeysBuilder AddHipaaBlindIndexes(this IServiceCollection services)
    {
        HipaaKeysBuilder builder = services.AddHipaaKeys();
        services.TryAddSingleton(sp => new BlindIndexer(sp.GetRequiredService<IKeyRingProvider>(), sp.GetService<ILogger<BlindIndexer>>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PhiPseudonymizer"/> (singleton) built from the key ring's active
    /// pseudonymization key, and the key services. Call
    /// <see cref="UseHipaaPseudonymizerForPhi(IServiceProvider)"/> after building the provider to make
    /// <see cref="Phi.Pseudonymize(object)"/> use it too.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to choose where keys come from.</returns>
    public static HipaaKeysBuilder AddHipaaPseudonymization(this IServiceCollection services)
    {
        HipaaKeysBuilder builder = services.AddHipaaKeys();
        services.TryAddSingleton(sp => new PhiPseudonymizer(
            sp.GetRequiredService<IKeyRingProvider>().GetKeyRing().GetRequiredActiveKey(KeyPurpose.Pseudonymization)));
        return builder;
    }

    /// <summary>
    /// Registers Microsoft.Extensions.Compliance redaction with the PHI redactor for
    /// <see cref="HipaaDataClassifications.Phi"/>, so that logging with <c>EnableRedaction()</c> redacts or
    /// pseudonymizes values marked <see cref="PhiDataAttribute"/>. Other classifications keep the redaction
    /// defaults (erasing), unless configured with <c>AddRedaction</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="mode">Redact (the default) or pseudonymize (needs a pseudonymization key).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddHipaaRedaction(this IServiceCollection services, PhiRedactionMode mode = PhiRedactionMode.Redact)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddRedaction(builder => builder.SetPhiRedactor(mode));
    }

    /// <summary>
    /// Makes <see cref="Phi.Pseudonymize(object)"/> use the registered <see cref="PhiPseudonymizer"/>, so the
    /// static facade the code fixes call and the injected services give the same tokens. Call it once, right
    /// after building the service provider (for example <c>app.Services.UseHipaaPseudonymizerForPhi()</c>).
    /// </summary>
    /// <param name="services">The built service provider.</param>
    /// <returns>The service provider.</returns>
    /// <exception cref="InvalidOperationException"><see cref="AddHipaaPseudonymization"/> was not called.</exception>
    public static IServiceProvider UseHipaaPseudonymizerForPhi(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Phi.UsePseudonymizer(services.GetRequiredService<PhiPseudonymizer>());
        return services;
    }

    /// <summary>
    /// Makes <see cref="HipaaKeys.Get(string)"/> read application keys from the registered
    /// <see cref="IKeyRingProvider"/>, so the static entry point the HIPAA201 code fix calls and the injected
    /// services use the same key ring. Call it once, right after building the service provider (for example
    /// <c>app.Services.UseHipaaKeyRingForApplicationKeys()</c>).
    /// </summary>
    /// <param name="services">The built service provider.</param>
    /// <returns>The service provider.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="IKeyRingProvider"/> is registered (call an <c>AddHipaa...</c> method).</exception>
    public static IServiceProvider UseHipaaKeyRingForApplicationKeys(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        HipaaKeys.UseKeyRing(services.GetRequiredService<IKeyRingProvider>());
        return services;
    }
}

/// <summary>Chooses where the HipaaAnalyzers runtime gets its keys; returned by the <c>AddHipaa...</c> methods.</summary>
public sealed class HipaaKeysBuilder
{
    internal HipaaKeysBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Reads keys from environment variables (the default); see <see cref="EnvironmentKeyRingProvider"/>.</summary>
    /// <param name="configure">Changes the variable names; optional.</param>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder UseEnvironmentKeys(Action<EnvironmentKeyRingOptions>? configure = null)
    {
        if (configure is not null)
        {
            Services.Configure(configure);
        }

        Services.Replace(ServiceDescriptor.Singleton<IKeyRingProvider>(sp => new EnvironmentKeyRingProvider(
            sp.GetRequiredService<IOptions<EnvironmentKeyRingOptions>>().Value,
            sp.GetService<ILogger<EnvironmentKeyRingProvider>>())));
        return this;
    }

    /// <summary>
    /// Reads keys from a key ring file wrapped by a master key: the registered <see cref="IMasterKey"/> (see
    /// <see cref="UseMasterKey{TMasterKey}"/>), or else a <see cref="LocalMasterKey"/> from the
    /// <c>HIPAA_MASTER_KEY</c> environment variable.
    /// </summary>
    /// <param name="path">The key ring file.</param>
    /// <param name="configure">Further options, for example the master key variable; optional.</param>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder UseFileKeyRing(string path, Action<FileKeyRingOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Services.Configure<FileKeyRingOptions>(options =>
        {
            options.Path = path;
            configure?.Invoke(options);
        });
        Services.Replace(ServiceDescriptor.Singleton<IKeyRingProvider>(CreateFileProvider));
        return this;
    }

    /// <summary>Uses a fixed key ring (for example in tests). Its keys stay owned by the caller.</summary>
    /// <param name="keyRing">The key ring.</param>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder UseKeyRing(KeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        Services.Replace(ServiceDescriptor.Singleton<IKeyRingProvider>(new InMemoryKeyRingProvider(keyRing)));
        return this;
    }

    /// <summary>Uses a key ring provider instance, for example one backed by a secret store. The container does not dispose it.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder UseKeyRingProvider(IKeyRingProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Services.Replace(ServiceDescriptor.Singleton(provider));
        return this;
    }

    /// <summary>Uses a key ring provider type, created by the container (which disposes it).</summary>
    /// <typeparam name="TProvider">The provider type, for example a Vault adapter.</typeparam>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder UseKeyRingProvider<TProvider>()
        where TProvider : class, IKeyRingProvider
    {
        Services.Replace(ServiceDescriptor.Singleton<IKeyRingProvider, TProvider>());
        return this;
    }

    /// <summary>Uses a master key type (for example a cloud KMS adapter) to unwrap the key ring file.</summary>
    /// <typeparam name="TMasterKey">The master key type, created by the container.</typeparam>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder UseMasterKey<TMasterKey>()
        where TMasterKey : class, IMasterKey
    {
        Services.Replace(ServiceDescriptor.Singleton<IMasterKey, TMasterKey>());
        return this;
    }

    /// <summary>Sets the rotation periods the key age check applies.</summary>
    /// <param name="configure">Changes the periods.</param>
    /// <returns>This builder.</returns>
    public HipaaKeysBuilder ConfigureKeyRotation(Action<KeyRotationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Returns a description.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "HipaaKeysBuilder";

    private static IKeyRingProvider CreateFileProvider(IServiceProvider sp)
    {
        FileKeyRingOptions options = sp.GetRequiredService<IOptions<FileKeyRingOptions>>().Value;
        if (string.IsNullOrEmpty(options.Path))
        {
            throw new PhiConfigurationException("FileKeyRingOptions.Path is not set: give the path of the key ring file to UseFileKeyRing.");
        }

        IMasterKey? masterKey = sp.GetService<IMasterKey>();
        bool ownsMasterKey = masterKey is null;
        masterKey ??= LocalMasterKey.FromEnvironment(options.MasterKeyEnvironmentVariable);
        return new FileKeyRingProvider(options.Path, masterKey, ownsMasterKey, sp.GetService<ILogger<FileKeyRingProvider>>());
    }
}
