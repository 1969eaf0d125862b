using System;
using HipaaAnalyzers.Runtime.Pkcs11;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HipaaAnalyzers.Runtime;

/// <summary>Registers <see cref="Pkcs11MasterKey"/> as the master key of the key ring file.</summary>
/// <example>
/// <code>
/// builder.Services.AddHipaaEncryption()
///     .UseFileKeyRing("/run/secrets/hipaa-keyring.json")
///     .UsePkcs11MasterKey(o => o.TokenLabel = "hipaa");   // the rest from HIPAA_PKCS11_* variables
/// </code>
/// </example>
public static class Pkcs11HipaaKeysBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="Pkcs11MasterKey"/> singleton as <see cref="IMasterKey"/> (the container disposes it). The
    /// options start from the <c>HIPAA_PKCS11_*</c> environment variables (see
    /// <see cref="Pkcs11MasterKeyOptions.FromEnvironment()"/>); <paramref name="configure"/> then changes them. The
    /// token is opened when the master key is first resolved: resolve <see cref="IKeyRingProvider"/> and call
    /// <c>GetKeyRing()</c> at startup so that a wrong PIN or label stops the deployment rather than the first request.
    /// </summary>
    /// <param name="builder">The keys builder.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    public static HipaaKeysBuilder UsePkcs11MasterKey(this HipaaKeysBuilder builder, Action<Pkcs11MasterKeyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions();
        builder.Services.Configure<Pkcs11MasterKeyOptions>(options =>
        {
            options.ApplyEnvironment(Environment.GetEnvironmentVariable);
            configure?.Invoke(options);
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<IMasterKey>(sp =>
        {
            Pkcs11MasterKeyOptions options = sp.GetRequiredService<IOptions<Pkcs11MasterKeyOptions>>().Value.Clone();
            options.TimeProvider ??= sp.GetService<TimeProvider>();
            return new Pkcs11MasterKey(options, sp.GetService<ILogger<Pkcs11MasterKey>>());
        }));
        return builder;
    }
}
