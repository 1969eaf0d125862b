using System;
using System.IO;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class ServiceCollectionTests : IDisposable
{
    private readonly DataKey _encryption = TestKeys.Encryption("enc-1", 1);
    private readonly DataKey _index = DataKey.FromBytes("idx-1", KeyPurpose.BlindIndex, TestKeys.Material(2));
    private readonly DataKey _pseudonymization = DataKey.FromBytes("ps-1", KeyPurpose.Pseudonymization, TestKeys.Material(3));

    public void Dispose()
    {
        _encryption.Dispose();
        _index.Dispose();
        _pseudonymization.Dispose();
    }

    [Fact]
    public void AddHipaaEncryption_AndFriends_ResolveSingletonsOverOneKeyRing()
    {
        KeyRing ring = TestKeys.Ring((_encryption, DataKeyStatus.Active), (_index, DataKeyStatus.Active), (_pseudonymization, DataKeyStatus.Active));
        var services = new ServiceCollection();
        services.AddHipaaEncryption().UseKeyRing(ring);
        services.AddHipaaBlindIndexes();
        services.AddHipaaPseudonymization();
        using ServiceProvider provider = services.BuildServiceProvider();

        var encryptor = provider.GetRequiredService<FieldEncryptor>();
        Assert.Same(encryptor, provider.GetRequiredService<FieldEncryptor>());
        var context = EncryptionContext.ForField("Patients", "Ssn", 1);
        Assert.Equal(TestPlaintexts.Ssn, encryptor.DecryptString(encryptor.EncryptString(TestPlaintexts.Ssn, context), context));
        Assert.NotNull(provider.GetRequiredService<FieldReEncryptor>());
        Assert.Equal(2, provider.GetRequiredService<BlindIndexer>().ForColumn("T", "C", new BlindIndexDefinition(16)).Compute("x").Length);
        Assert.Equal(new PhiPseudonymizer(TestKeys.Material(3)).Pseudonymize("MRN-1"), provider.GetRequiredService<PhiPseudonymizer>().Pseudonymize("MRN-1"));
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Single(services, d => d.ServiceType == typeof(IKeyRingProvider));
    }

    [Fact]
    public void KeyAgeCheck_UsesTheRegisteredClockAndRotationOptions()
    {
        var clock = new ManualTimeProvider(TestKeys.Created.AddDays(40));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddHipaaKeys()
            .UseKeyRing(TestKeys.Ring((_encryption, DataKeyStatus.Active)))
            .ConfigureKeyRotation(o => o.EncryptionKeyRotationPeriod = TimeSpan.FromDays(30));
        using ServiceProvider provider = services.BuildServiceProvider();

        KeyAgeReport report = provider.GetRequiredService<KeyAgeCheck>().Check();

        Assert.True(report.HasOverdueKeys);
        Assert.Equal(clock.Now, report.CheckedAt);
    }

    [Fact]
    public void UseFileKeyRing_LoadsTheFile_WithARegisteredMasterKey_AndDisposesTheKeysWithTheContainer()
    {
        string directory = Directory.CreateTempSubdirectory("hipaa-di-tests-").FullName;
        try
        {
            using var master = new LocalMasterKey(TestKeys.Material(50));
            string path = Path.Combine(directory, "keyring.json");
            KeyRingFile.Save(path, TestKeys.Ring((_encryption, DataKeyStatus.Active)), master);
            var services = new ServiceCollection();
            services.AddSingleton<IMasterKey>(master);
            services.AddHipaaEncryption().UseFileKeyRing(path);
            KeyRing ring;
            using (ServiceProvider provider = services.BuildServiceProvider())
            {
                Assert.IsType<FileKeyRingProvider>(provider.GetRequiredService<IKeyRingProvider>());
                ring = provider.GetRequiredService<IKeyRingProvider>().GetKeyRing();
                Assert.Equal(_encryption.KeyCheckValue, ring.GetActiveKey(KeyPurpose.Encryption)!.KeyCheckValue);
            }

            Assert.True(ring.Entries.Single().Key.IsDisposed);
            master.WrapKey(TestKeys.Material(1), default); // the registered master key belongs to its owner, not the provider
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void UseFileKeyRing_WithoutAMasterKey_ReportsTheMissingVariable()
    {
        var services = new ServiceCollection();
        services.AddHipaaEncryption().UseFileKeyRing("/nonexistent/keyring.json", o => o.MasterKeyEnvironmentVariable = "HIPAA_TEST_MASTER_KEY_THAT_IS_NOT_SET");
        using ServiceProvider provider = services.BuildServiceProvider();

        var exception = Assert.Throws<PhiConfigurationException>(() => provider.GetRequiredService<FieldEncryptor>().Encrypt(TestPlaintexts.SsnBytes, EncryptionContext.None));

        Assert.Contains("HIPAA_TEST_MASTER_KEY_THAT_IS_NOT_SET is not set", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseEnvironmentKeys_WithCustomNames_ReadsThoseVariables()
    {
        var services = new ServiceCollection();
        services.AddHipaaEncryption().UseEnvironmentKeys(o => o.EncryptionKeysVariable = "HIPAA_TEST_KEYS_THAT_ARE_NOT_SET");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<EnvironmentKeyRingProvider>(provider.GetRequiredService<IKeyRingProvider>());
        Assert.Null(provider.GetRequiredService<IKeyRingProvider>().GetKeyRing().GetActiveKey(KeyPurpose.Encryption));
    }

    [Fact]
    public void UseKeyRingProvider_ReplacesTheDefault()
    {
        var custom = new InMemoryKeyRingProvider(TestKeys.Ring((_encryption, DataKeyStatus.Active)));
        var services = new ServiceCollection();
        services.AddHipaaEncryption().UseKeyRingProvider(custom);
        services.AddHipaaBlindIndexes();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(custom, provider.GetRequiredService<IKeyRingProvider>());

        var typed = new ServiceCollection();
        typed.AddSingleton(custom);
        typed.AddHipaaEncryption().UseKeyRingProvider<InMemoryKeyRingProvider>().UseMasterKey<LocalMasterKeyStub>();
        Assert.Single(typed, d => d.ServiceType == typeof(IKeyRingProvider) && d.ImplementationType == typeof(InMemoryKeyRingProvider));
        Assert.Single(typed, d => d.ServiceType == typeof(IMasterKey) && d.ImplementationType == typeof(LocalMasterKeyStub));
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Throws<ArgumentNullException>(() => HipaaServiceCollectionExtensions.AddHipaaKeys(null!));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHipaaEncryption().UseFileKeyRing(""));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddHipaaEncryption().UseKeyRing(null!));
        Assert.Throws<ArgumentNullException>(() => ((IServiceProvider)null!).UseHipaaPseudonymizerForPhi());
    }

    private sealed class LocalMasterKeyStub : IMasterKey
    {
        public string MasterKeyId => "stub";

        public byte[] WrapKey(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData) => throw new NotSupportedException();

        public int UnwrapKey(ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> destination) => throw new NotSupportedException();
    }
}
