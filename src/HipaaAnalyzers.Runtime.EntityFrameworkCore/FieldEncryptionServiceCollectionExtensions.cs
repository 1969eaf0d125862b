using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>Registers the Entity Framework Core field encryption services.</summary>
public static class FieldEncryptionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FieldEncryptionInterceptor"/> as a singleton, built from the <see cref="FieldEncryptor"/>
    /// (<c>AddHipaaEncryption()</c>) and, when registered, the <see cref="BlindIndexer"/> (<c>AddHipaaBlindIndexes()</c>).
    /// Then configure the context with <c>UseFieldEncryption(serviceProvider)</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures blind index normalization and planning; optional.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddHipaaEntityFrameworkCoreEncryption(this IServiceCollection services, Action<FieldEncryptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp =>
        {
            var options = new FieldEncryptionOptions();
            configure?.Invoke(options);
            return new FieldEncryptionInterceptor(sp.GetRequiredService<FieldEncryptor>(), sp.GetService<BlindIndexer>(), options);
        });
        return services;
    }
}
