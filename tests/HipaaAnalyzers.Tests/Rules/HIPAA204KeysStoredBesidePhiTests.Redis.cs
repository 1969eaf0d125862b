using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA204KeysStoredBesidePhiAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Data Protection keys on the app's Redis when the cache, or the multiplexer, is set up in another method.</summary>
public partial class HIPAA204KeysStoredBesidePhiTests
{
    private const string RedisUsings = """
        using System.Security.Cryptography.X509Certificates;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.DataProtection;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using StackExchange.Redis;

        """;

    [Fact]
    public Task Reports_keys_on_the_cache_redis_named_by_the_same_configuration_key_in_another_method() => Verify.VerifyAsync(RedisUsings + """
        public static class CacheSetup
        {
            public static void AddCache(IServiceCollection services, IConfiguration config) =>
                services.AddStackExchangeRedisCache(o => o.Configuration = config["Redis"]);

            public static void AddSessionCache(IServiceCollection services, IConfiguration config) =>
                services.AddStackExchangeRedisCache(o => o.ConfigurationOptions = ConfigurationOptions.Parse(config["Sessions"]!));
        }

        public static class KeySetup
        {
            public static void AddKeys(IServiceCollection services, IConfiguration config, X509Certificate2 certificate) =>
                {|#0:services.AddDataProtection().PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(config["Redis"]!), "keys")|}
                    .ProtectKeysWithCertificate(certificate);

            public static void AddKeysThroughHelper(IServiceCollection services, IConfiguration config, X509Certificate2 certificate) =>
                {|#1:services.AddDataProtection().PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(SessionsConnection(config)), "keys")|}
                    .ProtectKeysWithCertificate(certificate);

            private static string SessionsConnection(IConfiguration config) => config["Sessions"] ?? "localhost";
        }
        """ + Packages,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (AddStackExchangeRedisCache in 'CacheSetup.AddCache'), where the app keeps its data: one breach yields the keys with the data they protect"),
        Verify.Diagnostic("HIPAA204").WithLocation(1).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (AddStackExchangeRedisCache in 'CacheSetup.AddSessionCache'), where the app keeps its data: one breach yields the keys with the data they protect"));

    [Fact]
    public Task Reports_keys_on_the_multiplexer_registered_in_dependency_injection_elsewhere() => Verify.VerifyAsync(RedisUsings + """
        public static class RedisSetup
        {
            public static void AddRedis(IServiceCollection services, IConfiguration config) =>
                services.AddSingleton<IConnectionMultiplexer>(ConnectionMultiplexer.Connect(config.GetConnectionString("Redis")!));
        }

        public static class KeySetup
        {
            public static void SameKey(IServiceCollection services, IConfiguration config, X509Certificate2 certificate) =>
                {|#0:services.AddDataProtection().PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(config["connectionstrings:redis"]!), "keys")|}
                    .ProtectKeysWithCertificate(certificate);

            public static void Resolved(IServiceCollection services, X509Certificate2 certificate) =>
                {|#1:services.AddDataProtection().PersistKeysToStackExchangeRedis(
                    () => services.BuildServiceProvider().GetRequiredService<IConnectionMultiplexer>().GetDatabase(), "keys")|}
                    .ProtectKeysWithCertificate(certificate);
        }
        """ + Packages,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (the IConnectionMultiplexer the app registers in 'RedisSetup.AddRedis'), where the app keeps its data: one breach yields the keys with the data they protect"),
        Verify.Diagnostic("HIPAA204").WithLocation(1).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (the IConnectionMultiplexer the app registers in 'RedisSetup.AddRedis'), where the app keeps its data: one breach yields the keys with the data they protect"));

    [Fact]
    public Task Reports_keys_on_a_multiplexer_held_in_a_field_or_passed_from_the_caller() => Verify.VerifyAsync(RedisUsings + """
        public sealed class Startup
        {
            private readonly IConnectionMultiplexer _redis;
            private readonly X509Certificate2 _certificate;

            public Startup(IConfiguration config, X509Certificate2 certificate)
            {
                _redis = ConnectionMultiplexer.Connect(config["Redis"]!);
                _certificate = certificate;
            }

            public void AddCache(IServiceCollection services) =>
                services.AddStackExchangeRedisCache(o => o.ConnectionMultiplexerFactory = () => Task.FromResult(_redis));

            public void AddKeys(IServiceCollection services) =>
                {|#0:services.AddDataProtection().PersistKeysToStackExchangeRedis(_redis, "keys")|}.ProtectKeysWithCertificate(_certificate);
        }

        public static class Program
        {
            public static void Configure(IServiceCollection services, IConfiguration config, X509Certificate2 certificate)
            {
                var redis = ConnectionMultiplexer.Connect(config["Sessions"]!);
                services.AddSingleton<IConnectionMultiplexer>(redis);
                KeySetup.AddKeys(services, redis, certificate);
            }
        }

        public static class KeySetup
        {
            public static void AddKeys(IServiceCollection services, IConnectionMultiplexer redis, X509Certificate2 certificate) =>
                {|#1:services.AddDataProtection().PersistKeysToStackExchangeRedis(redis, "keys")|}.ProtectKeysWithCertificate(certificate);
        }
        """ + Packages,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (AddStackExchangeRedisCache in 'Startup.AddCache'), where the app keeps its data: one breach yields the keys with the data they protect"),
        Verify.Diagnostic("HIPAA204").WithLocation(1).WithArguments(
            "Data Protection keys are persisted with 'PersistKeysToStackExchangeRedis' in the same Redis as the app's cache (the IConnectionMultiplexer the app registers in 'Program.Configure'), where the app keeps its data: one breach yields the keys with the data they protect"));

    [Fact]
    public Task Leaves_keys_on_a_redis_of_their_own_alone_across_methods() => Verify.VerifyAsync(RedisUsings + """
        public static class CacheSetup
        {
            public static void AddCache(IServiceCollection services, IConfiguration config) =>
                services.AddStackExchangeRedisCache(o => o.Configuration = config["Redis"]);

            public static void AddSessions(IServiceCollection services, IConfiguration config) =>
                services.AddSingleton<IConnectionMultiplexer>(ConnectionMultiplexer.Connect(config.GetConnectionString("Sessions")!));
        }

        public sealed class KeySetup
        {
            private readonly IConnectionMultiplexer _keysRedis;

            public KeySetup(IConfiguration config) => _keysRedis = ConnectionMultiplexer.Connect(config["KeysRedis"]!);

            public void AddKeys(IServiceCollection services, IConfiguration config, X509Certificate2 certificate)
            {
                services.AddDataProtection().PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(config["KeysRedis"]!), "keys").ProtectKeysWithCertificate(certificate);
                services.AddDataProtection().PersistKeysToStackExchangeRedis(_keysRedis, "keys").ProtectKeysWithCertificate(certificate);
                var local = ConnectionMultiplexer.Connect(config.GetConnectionString("KeysRedis")!);
                services.AddDataProtection().PersistKeysToStackExchangeRedis(() => local.GetDatabase(), "keys").ProtectKeysWithCertificate(certificate);
            }
        }
        """ + Packages);
}
