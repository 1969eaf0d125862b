using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Xunit;

namespace HipaaAnalyzers.Runtime.Pkcs11.Tests;

[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11MasterKeyTests
{
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("key ring entry enc-1");
    private readonly SoftHsmFixture _hsm;

    public Pkcs11MasterKeyTests(SoftHsmFixture hsm) => _hsm = hsm;

    [Fact]
    public void Wrap_then_unwrap_returns_the_data_key()
    {
        using var master = new Pkcs11MasterKey(_hsm.Options());
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);

        byte[] wrapped = master.WrapKey(dataKey, Context);
        var unwrapped = new byte[DataKey.MaximumKeySizeInBytes];
        int length = master.UnwrapKey(wrapped, Context, unwrapped);

        Assert.Equal(dataKey, unwrapped[..length]);
        Assert.Equal(1 + 4 + 12 + 32 + 16, wrapped.Length);
        Assert.Equal(master.KeyVersion, Pkcs11MasterKey.GetWrappingVersion(wrapped));
        Assert.Equal("pkcs11:" + SoftHsmFixture.KeyLabel, master.MasterKeyId);
        Assert.DoesNotContain(Convert.ToHexString(dataKey), Convert.ToHexString(wrapped), StringComparison.Ordinal);
        Assert.NotEqual(wrapped, master.WrapKey(dataKey, Context));   // a fresh IV per wrap
    }

    [Fact]
    public void A_modified_wrapped_key_or_other_associated_data_fails_to_unwrap()
    {
        using var master = new Pkcs11MasterKey(_hsm.Options());
        byte[] wrapped = master.WrapKey(RandomNumberGenerator.GetBytes(32), Context);
        var destination = new byte[DataKey.MaximumKeySizeInBytes];

        Assert.Throws<KeyUnwrapException>(() => master.UnwrapKey(wrapped, Encoding.ASCII.GetBytes("key ring entry enc-2"), destination));
        for (int i = 5; i < wrapped.Length; i += 7)
        {
            byte[] tampered = (byte[])wrapped.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<KeyUnwrapException>(() => master.UnwrapKey(tampered, Context, destination));
        }

        byte[] otherVersion = (byte[])wrapped.Clone();
        otherVersion[4] ^= 0x40;   // names version 65: not on the token
        KeyUnwrapException missing = Assert.Throws<KeyUnwrapException>(() => master.UnwrapKey(otherVersion, Context, destination));
        Assert.Contains("does not hold", missing.Message, StringComparison.Ordinal);
        Assert.Throws<KeyUnwrapException>(() => master.UnwrapKey(wrapped.AsSpan(0, 20), Context, destination));
    }

    [Fact]
    public void The_key_cannot_leave_the_token()
    {
        using (var master = new Pkcs11MasterKey(_hsm.Options()))
        {
            Pkcs11Library library = Pkcs11Library.Acquire(_hsm.LibraryPath);
            try
            {
                ISlot slot = library.Library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.SlotId == master.SlotId);
                using ISession session = slot.OpenSession(SessionType.ReadWrite);   // the master key's login holds for it
                var a = session.Factories.ObjectAttributeFactory;
                IObjectHandle key = session.FindAllObjects(new List<IObjectAttribute>
                {
                    a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
                    a.Create(CKA.CKA_LABEL, SoftHsmFixture.KeyLabel),
                }).Single();
                string id = Encoding.ASCII.GetString(session.GetAttributeValue(key, new List<CKA> { CKA.CKA_ID })[0].GetValueAsByteArray());
                Assert.StartsWith("1@", id, StringComparison.Ordinal);

                List<IObjectAttribute> attributes = session.GetAttributeValue(key, new List<CKA> { CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE, CKA.CKA_VALUE, CKA.CKA_TOKEN, CKA.CKA_VALUE_LEN });
                Assert.False(attributes[0].GetValueAsBool());
                Assert.True(attributes[1].GetValueAsBool());
                Assert.True(attributes[2].CannotBeRead);   // CKR_ATTRIBUTE_SENSITIVE: the token will not return CKA_VALUE
                Assert.True(attributes[3].GetValueAsBool());
                Assert.Equal(32UL, attributes[4].GetValueAsUlong());

                // Nor can it be wrapped out under another key.
                IObjectHandle other = session.GenerateKey(session.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN), new List<IObjectAttribute>
                {
                    a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
                    a.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
                    a.Create(CKA.CKA_VALUE_LEN, 32),
                    a.Create(CKA.CKA_TOKEN, false),
                    a.Create(CKA.CKA_WRAP, true),
                });
                Pkcs11Exception refused = Assert.Throws<Pkcs11Exception>(() => session.WrapKey(session.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD), other, key));
                Assert.Contains(refused.RV, new[] { CKR.CKR_KEY_UNEXTRACTABLE, CKR.CKR_KEY_NOT_WRAPPABLE });
                session.DestroyObject(other);
            }
            finally
            {
                library.Release();
            }
        }
    }

    [Fact]
    public void A_wrong_pin_is_reported_without_the_pin()
    {
        string wrong = "wrong-" + Guid.NewGuid().ToString("N")[..6];
        PhiConfigurationException error = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.Pin = wrong)));

        Assert.Contains("PIN is incorrect", error.Message, StringComparison.Ordinal);
        Assert.Contains("CKR_PIN_INCORRECT", error.Message, StringComparison.Ordinal);
        Assert.Contains(SoftHsmFixture.TokenLabel, error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, wrong);

        // The failed attempt did not leave a login behind: the right PIN still works.
        using var master = new Pkcs11MasterKey(_hsm.Options());
        Assert.Equal(1, master.KeyVersion);
    }

    [Fact]
    public void A_second_master_key_with_another_pin_is_refused_while_the_first_is_logged_in()
    {
        using var first = new Pkcs11MasterKey(_hsm.Options());
        string wrong = "wrong-" + Guid.NewGuid().ToString("N")[..6];
        PhiConfigurationException error = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.Pin = wrong)));
        Assert.Contains("different PIN", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, wrong);
    }

    [Fact]
    public void A_wrong_slot_names_the_slot_and_the_tokens_present()
    {
        PhiConfigurationException error = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o =>
        {
            o.TokenLabel = null;
            o.SlotId = 987654321;
        })));

        Assert.Contains("no slot 987654321", error.Message, StringComparison.Ordinal);
        Assert.Contains("'" + SoftHsmFixture.TokenLabel + "' in slot", error.Message, StringComparison.Ordinal);
        Assert.Contains("'" + SoftHsmFixture.OtherTokenLabel + "' in slot", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, _hsm.Pin);
    }

    [Fact]
    public void A_wrong_token_label_names_the_label_and_the_tokens_present()
    {
        PhiConfigurationException error = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.TokenLabel = "no-such-token")));

        Assert.Contains("no a token labelled 'no-such-token'", error.Message.Replace("has no a", "no a", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("'" + SoftHsmFixture.TokenLabel + "' in slot", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, _hsm.Pin);
    }

    [Fact]
    public void A_wrong_key_label_or_version_names_what_is_missing()
    {
        PhiConfigurationException label = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.KeyLabel = "no-such-key")));
        Assert.Contains("holds no secret key labelled 'no-such-key'", label.Message, StringComparison.Ordinal);
        AssertNoSecret(label, _hsm.Pin);

        PhiConfigurationException version = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.KeyVersion = 9)));
        Assert.Contains("no version 9 of the key '" + SoftHsmFixture.KeyLabel + "' (versions present: 1)", version.Message, StringComparison.Ordinal);

        // The other token has a PIN of its own and no master key.
        PhiConfigurationException otherToken = Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o =>
        {
            o.TokenLabel = SoftHsmFixture.OtherTokenLabel;
            o.Pin = _hsm.OtherPin;
        })));
        Assert.Contains("'" + SoftHsmFixture.OtherTokenLabel + "'", otherToken.Message, StringComparison.Ordinal);
        Assert.Contains("holds no secret key labelled", otherToken.Message, StringComparison.Ordinal);
        AssertNoSecret(otherToken, _hsm.OtherPin);
    }

    [Fact]
    public void A_missing_library_or_setting_is_a_configuration_error()
    {
        Assert.Contains("/nowhere/libpkcs11.so", Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.LibraryPath = "/nowhere/libpkcs11.so"))).Message, StringComparison.Ordinal);
        Assert.Contains(Pkcs11MasterKeyOptions.PinVariable, Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.Pin = null))).Message, StringComparison.Ordinal);
        Assert.Contains(Pkcs11MasterKeyOptions.TokenLabelVariable, Assert.Throws<PhiConfigurationException>(() => new Pkcs11MasterKey(_hsm.Options(o => o.TokenLabel = null))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thirty_two_concurrent_callers_share_the_session_pool()
    {
        using var master = new Pkcs11MasterKey(_hsm.Options(o => o.MaxSessions = 4));
        Assert.True(master.SerializesTokenCalls);   // SoftHSM2 2.6 crashes under concurrent calls: detected by its manufacturer id
        Task[] callers = Enumerable.Range(0, 32).Select(i => Task.Run(() =>
        {
            byte[] context = Encoding.ASCII.GetBytes("entry-" + i);
            var destination = new byte[DataKey.MaximumKeySizeInBytes];
            for (int round = 0; round < 20; round++)
            {
                byte[] dataKey = RandomNumberGenerator.GetBytes(32 + (i % 33));
                byte[] wrapped = master.WrapKey(dataKey, context);
                int length = master.UnwrapKey(wrapped, context, destination);
                Assert.Equal(dataKey, destination[..length]);
            }
        })).ToArray();

        await Task.WhenAll(callers);
    }

    [Fact]
    public void A_key_ring_file_wrapped_by_the_token_serves_field_encryption()
    {
        string path = Path.Combine(_hsm.Directory, "ring-" + Guid.NewGuid().ToString("N") + ".json");
        using (var master = new Pkcs11MasterKey(_hsm.Options()))
        {
            KeyRing ring = NewRing(DateTimeOffset.UtcNow);
            KeyRingFile.Save(path, ring, master);
            ring.DisposeKeys();
        }

        var services = new ServiceCollection();
        services.AddHipaaEncryption().UseFileKeyRing(path).UsePkcs11MasterKey(o =>
        {
            o.LibraryPath = _hsm.LibraryPath;
            o.TokenLabel = SoftHsmFixture.TokenLabel;
            o.Pin = _hsm.Pin;
            o.KeyLabel = SoftHsmFixture.KeyLabel;
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.IsType<Pkcs11MasterKey>(provider.GetRequiredService<IMasterKey>());
        var encryptor = provider.GetRequiredService<FieldEncryptor>();
        EncryptionContext context = EncryptionContext.ForField("Patients", "Ssn", "42");
        string ciphertext = encryptor.EncryptString("123-45-6789", context);
        Assert.Equal("123-45-6789", encryptor.DecryptString(ciphertext, context));
        Assert.Equal(3, provider.GetRequiredService<IKeyRingProvider>().GetKeyRing().Entries.Count);
    }

    [Fact]
    public void Rotating_to_a_new_token_key_rewraps_the_ring_and_old_data_stays_readable()
    {
        const string Label = "rotation-test-key";
        string path = Path.Combine(_hsm.Directory, "rotation-" + Guid.NewGuid().ToString("N") + ".json");
        Assert.Equal(1, Pkcs11MasterKey.GenerateKey(_hsm.Options(o => o.KeyLabel = Label)));
        EncryptionContext context = EncryptionContext.ForField("Patients", "Mrn", "7");
        string ciphertext;
        using (var v1 = new Pkcs11MasterKey(_hsm.Options(o => o.KeyLabel = Label)))
        {
            KeyRing ring = NewRing(DateTimeOffset.UtcNow.AddDays(-100));
            KeyRingFile.Save(path, ring, v1);
            ciphertext = new FieldEncryptor(ring).EncryptString("MRN-0042", context);
            ring.DisposeKeys();
        }

        Assert.Equal(2, Pkcs11MasterKey.GenerateKey(_hsm.Options(o => o.KeyLabel = Label)));
        using var previous = new Pkcs11MasterKey(_hsm.Options(o =>
        {
            o.KeyLabel = Label;
            o.KeyVersion = 1;
        }));
        using var next = new Pkcs11MasterKey(_hsm.Options(o => o.KeyLabel = Label));   // the highest version
        Assert.Equal(2, next.KeyVersion);
        Assert.All(WrappingVersions(path), v => Assert.Equal(1, v));

        // Before the re-wrap, the new version already reads the ring: each wrapped key names the version that wrapped it.
        KeyRing before = KeyRingFile.Load(path, next);
        before.DisposeKeys();

        Assert.Equal(3, Pkcs11MasterKey.RewrapKeyRingFile(path, previous, next));
        Assert.All(WrappingVersions(path), v => Assert.Equal(2, v));
        KeyRing after = KeyRingFile.Load(path, next);
        try
        {
            Assert.Equal("MRN-0042", new FieldEncryptor(after).DecryptString(ciphertext, context));
        }
        finally
        {
            after.DisposeKeys();
        }
    }

    [Fact]
    public void The_key_age_check_reports_a_key_past_its_quarterly_rotation()
    {
        DateTimeOffset created;
        using (var master = new Pkcs11MasterKey(_hsm.Options()))
        {
            created = Assert.NotNull(master.CreatedAt);
            Assert.Equal(KeyAgeStatus.Current, master.CheckAge());
        }

        Assert.True(Math.Abs((created - DateTimeOffset.UtcNow.Date).TotalDays) <= 1);
        using (var later = new Pkcs11MasterKey(_hsm.Options(o => o.TimeProvider = new FixedTime(created.AddDays(80)))))
        {
            Assert.Equal(KeyAgeStatus.DueSoon, later.CheckAge());
        }

        using var overdue = new Pkcs11MasterKey(_hsm.Options(o => o.TimeProvider = new FixedTime(created.AddDays(91))));
        Assert.Equal(KeyAgeStatus.Overdue, overdue.CheckAge());
    }

    [Fact]
    public void Options_come_from_the_environment_and_never_show_the_pin()
    {
        var variables = new Dictionary<string, string>
        {
            [Pkcs11MasterKeyOptions.LibraryPathVariable] = _hsm.LibraryPath,
            [Pkcs11MasterKeyOptions.TokenLabelVariable] = SoftHsmFixture.TokenLabel,
            [Pkcs11MasterKeyOptions.PinVariable] = _hsm.Pin,
            [Pkcs11MasterKeyOptions.KeyLabelVariable] = SoftHsmFixture.KeyLabel,
            [Pkcs11MasterKeyOptions.KeyVersionVariable] = "1",
        };
        Pkcs11MasterKeyOptions options = Pkcs11MasterKeyOptions.FromEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal(1, options.KeyVersion);
        Assert.DoesNotContain(_hsm.Pin, options.ToString(), StringComparison.Ordinal);
        using (var master = new Pkcs11MasterKey(options))
        {
            Assert.DoesNotContain(_hsm.Pin, master.ToString(), StringComparison.Ordinal);
        }

        variables[Pkcs11MasterKeyOptions.SlotIdVariable] = "slot-" + _hsm.Pin;
        PhiConfigurationException error = Assert.Throws<PhiConfigurationException>(() => Pkcs11MasterKeyOptions.FromEnvironment(name => variables.GetValueOrDefault(name)));
        Assert.Contains(Pkcs11MasterKeyOptions.SlotIdVariable, error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, _hsm.Pin);
    }

    private static KeyRing NewRing(DateTimeOffset created) => new(new[]
    {
        new KeyRingEntry(DataKey.Generate("enc-1", KeyPurpose.Encryption, created), DataKeyStatus.Active),
        new KeyRingEntry(DataKey.Generate("idx-1", KeyPurpose.BlindIndex, created), DataKeyStatus.Active),
        new KeyRingEntry(DataKey.Generate("ps-1", KeyPurpose.Pseudonymization, created), DataKeyStatus.Active),
    });

    private static IEnumerable<int?> WrappingVersions(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => Pkcs11MasterKey.GetWrappingVersion(k.GetProperty("wrappedKey").GetBytesFromBase64()))
            .ToList();
    }

    private static void AssertNoSecret(Exception error, string secret)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    private sealed class FixedTime : TimeProvider
    {
        private readonly DateTimeOffset _now;

        public FixedTime(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
