using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA204KeysStoredBesidePhiAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA204KeysStoredBesidePhiTests
{
    /// <summary>The shapes of the Data Protection EF Core and Redis packages and of the Redis cache, which the test references do not include.</summary>
    private const string Packages = """

        namespace Microsoft.AspNetCore.DataProtection
        {
            public static class EntityFrameworkCoreDataProtectionExtensions
            {
                public static IDataProtectionBuilder PersistKeysToDbContext<TContext>(this IDataProtectionBuilder builder)
                    where TContext : Microsoft.EntityFrameworkCore.DbContext => builder;
            }

            public static class StackExchangeRedisDataProtectionBuilderExtensions
            {
                public static IDataProtectionBuilder PersistKeysToStackExchangeRedis(this IDataProtectionBuilder builder, StackExchange.Redis.IConnectionMultiplexer connectionMultiplexer, string key) => builder;
                public static IDataProtectionBuilder PersistKeysToStackExchangeRedis(this IDataProtectionBuilder builder, System.Func<StackExchange.Redis.IDatabase> databaseFactory, string key) => builder;
            }
        }

        namespace StackExchange.Redis
        {
            public interface IDatabase { }
            public sealed class ConfigurationOptions { public static ConfigurationOptions Parse(string configuration) => new(); }
            public interface IConnectionMultiplexer { IDatabase GetDatabase(int db = -1, object? asyncState = null); }
            public sealed class ConnectionMultiplexer : IConnectionMultiplexer
            {
                public static ConnectionMultiplexer Connect(string configuration) => new();
                public IDatabase GetDatabase(int db = -1, object? asyncState = null) => null!;
            }
        }

        namespace Microsoft.Extensions.Caching.StackExchangeRedis
        {
            public class RedisCacheOptions
            {
                public string? Configuration { get; set; }
                public StackExchange.Redis.ConfigurationOptions? ConfigurationOptions { get; set; }
                public System.Func<System.Threading.Tasks.Task<StackExchange.Redis.IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class StackExchangeRedisCacheServiceCollectionExtensions
            {
                public static IServiceCollection AddStackExchangeRedisCache(this IServiceCollection services, System.Action<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions> setupAction) => services;
            }
        }

        namespace Clinic
        {
            public class Patient { public int Id { get; set; } public string Ssn { get; set; } = ""; public string Diagnosis { get; set; } = ""; }
            public class DataProtectionKey { public int Id { get; set; } public string? Xml { get; set; } }

            public class ClinicDb : Microsoft.EntityFrameworkCore.DbContext
            {
                public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
                public Microsoft.EntityFrameworkCore.DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
            }

            public class KeysDb : Microsoft.EntityFrameworkCore.DbContext
            {
                public Microsoft.EntityFrameworkCore.DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
            }
        }
        """;

    [Fact]
    public Task Reports_keys_in_the_phi_database_or_the_cache_redis_and_key_rings_without_protection() => Verify.VerifyAsync("""
        using System.IO;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.DataProtection;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using StackExchange.Redis;
        using Clinic;

        public static class Startup
        {
            public static void PhiDatabase(IServiceCollection services, X509Certificate2 certificate) =>
                {|#0:services.AddDataProtection().PersistKeysToDbContext<ClinicDb>()|}.ProtectKeysWithCertificate(certificate);

            public static void Plain(IServiceCollection services) =>
                {|#1:services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo("/var/keys"))|};

            public static void SameRedis(WebApplicationBuilder builder, X509Certificate2 certificate)
            {
                var redis = ConnectionMultiplexer.Connect(builder.Configuration.GetConnectionString("Redis")!);
                builder.Services.AddStackExchangeRedisCache(o => o.Configuration = builder.Configuration.GetConnectionString("Redis"));
                {|#2:builder.Services.AddDataProtection().PersistKeysToStackExchangeRedis(redis, "DataProtection-Keys")|}.ProtectKeysWithCertificate(certificate);
            }
        }
        """ + Packages,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToDbContext' in 'ClinicDb', the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect"),
        Verify.Diagnostic("HIPAA204").WithLocation(1).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToFileSystem' without a ProtectKeysWith* call: the key ring is stored in plain text at rest"),
        Verify.Diagnostic("HIPAA204").WithLocation(2).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (AddStackExchangeRedisCache), where the app keeps its data: one breach yields the keys with the data they protect"));

    [Fact]
    public Task Leaves_a_separate_key_database_a_separate_redis_and_protected_key_rings_alone() => Verify.VerifyAsync("""
        using System.IO;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.DataProtection;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using StackExchange.Redis;
        using Clinic;

        public static class Startup
        {
            public static void Separate(WebApplicationBuilder builder, X509Certificate2 certificate)
            {
                builder.Services.AddDataProtection().PersistKeysToDbContext<KeysDb>().ProtectKeysWithCertificate(certificate);
                var keysRedis = ConnectionMultiplexer.Connect(builder.Configuration.GetConnectionString("KeysRedis")!);
                builder.Services.AddStackExchangeRedisCache(o => o.Configuration = builder.Configuration.GetConnectionString("Redis"));
                var dataProtection = builder.Services.AddDataProtection();
                dataProtection.PersistKeysToStackExchangeRedis(keysRedis, "DataProtection-Keys");
                dataProtection.ProtectKeysWithCertificate(certificate);
                builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo("/var/keys")).ProtectKeysWithCertificate(certificate);
            }
        }
        """ + Packages);

    [Fact]
    public Task Reports_the_runtime_key_ring_and_master_key_under_the_content_root() => Verify.VerifyAsync("""
        using System.IO;
        using HipaaAnalyzers.Runtime;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Keys(WebApplicationBuilder builder)
            {
                builder.Services.AddHipaaKeys().UseFileKeyRing({|#0:"keys/keyring.json"|});
                builder.Services.AddHipaaKeys().UseFileKeyRing({|#1:Path.Combine(builder.Environment.ContentRootPath, "keyring.json")|});
                using var master = new LocalMasterKey(File.ReadAllBytes({|#2:"master.key"|}));
                builder.Services.AddHipaaKeys().UseFileKeyRing("/run/secrets/keyring.json");
                using var mounted = new LocalMasterKey(File.ReadAllBytes("/run/secrets/master.key"));
            }
        }
        """,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "The path of the key ring file is under the app's content root ('keys/keyring.json' is relative, so it lies under the app's content root): the keys are deployed, copied and backed up with the app; keep them in a separate, access-controlled location or a key store"),
        Verify.Diagnostic("HIPAA204").WithLocation(1).WithArguments(
            "The path of the key ring file is under the app's content root (it is built from the app's own folder): the keys are deployed, copied and backed up with the app; keep them in a separate, access-controlled location or a key store"),
        Verify.Diagnostic("HIPAA204").WithLocation(2).WithArguments(
            "The path of the master key file is under the app's content root ('master.key' is relative, so it lies under the app's content root): the keys are deployed, copied and backed up with the app; keep them in a separate, access-controlled location or a key store"));
}
