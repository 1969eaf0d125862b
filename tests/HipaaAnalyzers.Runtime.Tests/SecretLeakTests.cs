using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>
/// A sweep over the public surface: the text of every object a user can print (ToString), and every log
/// line written while loading, encrypting, rotating, re-encrypting, indexing and checking key ages, holds
/// no key bytes and no plaintext.
/// </summary>
public sealed class SecretLeakTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-leak-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ToStringAndLogs_NeverContainKeysOrPlaintext()
    {
        byte[] master = TestKeys.Material(60);
        byte[][] dataKeys = { TestKeys.Material(61), TestKeys.Material(62), TestKeys.Material(63), TestKeys.Material(64) };
        var texts = new List<string>();

        using var masterKey = new LocalMasterKey(master);
        using DataKey q1 = DataKey.FromBytes("enc-q1", KeyPurpose.Encryption, dataKeys[0], TestKeys.Created.AddDays(-200));
        using DataKey q2 = DataKey.FromBytes("enc-q2", KeyPurpose.Encryption, dataKeys[1], TestKeys.Created);
        using DataKey idx = DataKey.FromBytes("idx-1", KeyPurpose.BlindIndex, dataKeys[2], TestKeys.Created);
        using DataKey ps = DataKey.FromBytes("ps-1", KeyPurpose.Pseudonymization, dataKeys[3], TestKeys.Created);
        KeyRing ring = TestKeys.Ring((q1, DataKeyStatus.Active), (idx, DataKeyStatus.Active), (ps, DataKeyStatus.Active));
        string path = Path.Combine(_directory, "keyring.json");
        KeyRingFile.Save(path, ring, masterKey);

        var fileLogger = new CapturingLogger<FileKeyRingProvider>();
        var reLogger = new CapturingLogger<FieldReEncryptor>();
        var ageLogger = new CapturingLogger<KeyAgeCheck>();
        var indexLogger = new CapturingLogger<BlindIndexer>();
        using var fileProvider = new FileKeyRingProvider(path, masterKey, fileLogger);
        KeyRing loaded = fileProvider.GetKeyRing();
        var memory = new InMemoryKeyRingProvider(loaded);
        var encryptor = new FieldEncryptor(memory);
        var context = EncryptionContext.ForField("Patients", "Ssn", "row-1");
        byte[] ciphertext = encryptor.Encrypt(TestPlaintexts.SsnBytes, context);
        memory.Update(loaded.WithKey(q2, DataKeyStatus.Active));
        var reEncryptor = new FieldReEncryptor(encryptor, reLogger);
        reEncryptor.ReEncrypt(new[] { ciphertext }, c => new EncryptedField(c, context), (c, updated) => { });
        var check = new KeyAgeCheck(memory, null, new ManualTimeProvider(TestKeys.Created.AddDays(120)), ageLogger);
        KeyAgeReport report = check.Check();
        var indexer = new BlindIndexer(memory, indexLogger);
        BlindIndexColumn column = indexer.ForColumn("Patients", "Dob", new BlindIndexDefinition(32) { DomainSize = 36_525, ExpectedRows = 100_000 });
        column.Compute(TestPlaintexts.Ssn);
        var pseudonymizer = new PhiPseudonymizer(ps);
        var services = new ServiceCollection();
        HipaaKeysBuilder builder = services.AddHipaaEncryption().UseKeyRing(ring);

        texts.AddRange(new object[]
        {
            masterKey, q1, idx, ps, ring, loaded, memory.GetKeyRing(), ring.Entries[0], fileProvider, memory, encryptor, context,
            FieldEncryptor.ReadHeader(ciphertext), reEncryptor, check, report, report.Keys[0], indexer, column, column.Plan!,
            column.Plan!.Warnings[0], pseudonymizer, new PhiRedactor(), new PhiPseudonymizingRedactor(pseudonymizer), builder,
            new ReEncryptionProgress(1, 1, 0, 0), new EncryptedField(ciphertext, context), EncryptionContext.None,
        }.Select(o => o.ToString()!));
        texts.Add(File.ReadAllText(path));
        texts.AddRange(new[] { fileLogger.AllText, reLogger.AllText, ageLogger.AllText, indexLogger.AllText });

        Assert.NotEmpty(fileLogger.Entries);
        Assert.NotEmpty(reLogger.Entries);
        Assert.NotEmpty(ageLogger.Entries);
        Assert.NotEmpty(indexLogger.Entries);
        foreach (string text in texts)
        {
            TestPlaintexts.NotRevealed(text, TestPlaintexts.SsnBytes);
            Assert.DoesNotContain("row-1", text, StringComparison.Ordinal);
            SecretAssert.DoesNotRevealKey(text, master);
            foreach (byte[] key in dataKeys)
            {
                SecretAssert.DoesNotRevealKey(text, key);
            }
        }
    }

    [Fact]
    public void KeyHoldingTypes_HideTheirFieldsFromTheDebugger()
    {
        foreach (Type type in new[] { typeof(DataKey), typeof(LocalMasterKey), typeof(PhiPseudonymizer) })
        {
            FieldInfo[] secrets = type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(byte[]) && f.Name is "_material" or "_aesKey" or "_keyCheck" or "_wrappingKey" or "_key")
                .ToArray();

            Assert.NotEmpty(secrets);
            Assert.All(secrets, f => Assert.NotNull(f.GetCustomAttribute<System.Diagnostics.DebuggerBrowsableAttribute>()));
        }
    }

    [Fact]
    public void NoPublicRecord_KeepsTheGeneratedToStringThatPrintsEveryMember()
    {
        Type[] types = typeof(FieldEncryptor).Assembly.GetExportedTypes();

        Assert.NotEmpty(types);
        Assert.All(
            types.Where(t => t.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic) is not null),
            t =>
            {
                MethodInfo toString = t.GetMethod(nameof(ToString), Type.EmptyTypes)!;
                Assert.Equal(t, toString.DeclaringType);
                Assert.False(toString.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)), t.Name + ".ToString is the generated one");
            });
    }
}
