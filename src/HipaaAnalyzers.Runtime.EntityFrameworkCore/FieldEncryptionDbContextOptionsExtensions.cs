using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>Turns on application-side field encryption for a <see cref="DbContext"/>.</summary>
public static class FieldEncryptionDbContextOptionsExtensions
{
    /// <summary>
    /// Stores every <see cref="EncryptedAttribute"/> property of the context's entity types as an AES-256-GCM
    /// ciphertext bound to its table, column and row key (and a blind index where the attribute asks for one), through
    /// <paramref name="interceptor"/>. The database receives ciphertexts and blind indexes only, never the plaintext
    /// nor a key.
    /// </summary>
    /// <param name="optionsBuilder">The options builder.</param>
    /// <param name="interceptor">
    /// The interceptor; create it once (or register it as a singleton with
    /// <see cref="FieldEncryptionServiceCollectionExtensions.AddHipaaEntityFrameworkCoreEncryption"/>) and reuse it:
    /// Entity Framework Core builds an internal service provider per distinct interceptor instance.
    /// </param>
    /// <returns>The options builder.</returns>
    public static DbContextOptionsBuilder UseFieldEncryption(this DbContextOptionsBuilder optionsBuilder, FieldEncryptionInterceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(interceptor);
        ((IDbContextOptionsBuilderInfrastructure)optionsBuilder).AddOrUpdateExtension(
            optionsBuilder.Options.FindExtension<FieldEncryptionOptionsExtension>() ?? new FieldEncryptionOptionsExtension());
        return optionsBuilder.AddInterceptors(interceptor);
    }

    /// <summary>
    /// As <see cref="UseFieldEncryption(DbContextOptionsBuilder, FieldEncryptionInterceptor)"/>, with the interceptor
    /// registered by <see cref="FieldEncryptionServiceCollectionExtensions.AddHipaaEntityFrameworkCoreEncryption"/>:
    /// <c>services.AddDbContext&lt;ClinicDb&gt;((sp, o) =&gt; o.UseNpgsql(cs).UseFieldEncryption(sp))</c>.
    /// </summary>
    /// <param name="optionsBuilder">The options builder.</param>
    /// <param name="services">The application's service provider.</param>
    /// <returns>The options builder.</returns>
    public static DbContextOptionsBuilder UseFieldEncryption(this DbContextOptionsBuilder optionsBuilder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return optionsBuilder.UseFieldEncryption(services.GetRequiredService<FieldEncryptionInterceptor>());
    }

    /// <inheritdoc cref="UseFieldEncryption(DbContextOptionsBuilder, FieldEncryptionInterceptor)"/>
    /// <typeparam name="TContext">The context type.</typeparam>
    public static DbContextOptionsBuilder<TContext> UseFieldEncryption<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder, FieldEncryptionInterceptor interceptor)
        where TContext : DbContext =>
        (DbContextOptionsBuilder<TContext>)UseFieldEncryption((DbContextOptionsBuilder)optionsBuilder, interceptor);
}

/// <summary>The options extension that adds <see cref="EncryptedPropertyConvention"/> to the model conventions.</summary>
internal sealed class FieldEncryptionOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services) =>
        new EntityFrameworkServicesBuilder(services).TryAdd<IConventionSetPlugin, FieldEncryptionConventionSetPlugin>();

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo : DbContextOptionsExtensionInfo
    {
        public ExtensionInfo(IDbContextOptionsExtension extension)
            : base(extension)
        {
        }

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "using HipaaAnalyzers field encryption ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["HipaaAnalyzers:FieldEncryption"] = "1";
    }
}

/// <summary>
/// Adds the convention first among the finalizing conventions, so the shadow properties get type mappings, and among the
/// finalized conventions, where the provider's value generation settings of the keys are complete.
/// </summary>
internal sealed class FieldEncryptionConventionSetPlugin : IConventionSetPlugin
{
    public ConventionSet ModifyConventions(ConventionSet conventionSet)
    {
        var convention = new EncryptedPropertyConvention();
        conventionSet.EntityTypeAddedConventions.Add(convention);
        conventionSet.ModelFinalizingConventions.Insert(0, convention);
        conventionSet.ModelFinalizedConventions.Add(convention);
        return conventionSet;
    }
}
