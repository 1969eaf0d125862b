using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class KeyRingTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("enc-2025q3")]
    [InlineData("Key_1.2-x")]
    public void ValidKeyIds(string id) => Assert.True(DataKey.IsValidKeyId(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("colon:")]
    [InlineData("at@")]
    [InlineData("semi;")]
    [InlineData("ünïcode")]
    [InlineData("new\nline")]
    public void InvalidKeyIds(string? id)
    {
        Assert.False(DataKey.IsValidKeyId(id));
        if (id is not null)
        {
            Assert.Throws<ArgumentException>(() => DataKey.FromBytes(id, KeyPurpose.Encryption, TestKeys.Material(1)));
        }
    }

    [Fact]
    public void KeyIds_AreAtMost64Characters()
    {
        Assert.True(DataKey.IsValidKeyId(new string('k', 64)));
        Assert.False(DataKey.IsValidKeyId(new string('k', 65)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(65)]
    public void KeysOfTheWrongLength_AreRejected_WithoutRevealingThem(int length)
    {
        byte[] material = SecretAssert.DistinctiveKey(length);

        var exception = Assert.Throws<ArgumentException>(() => DataKey.FromBytes("enc-1", KeyPurpose.Encryption, material));

        Assert.Contains(length + " bytes", exception.Message, StringComparison.Ordinal);
        if (length > 0)
        {
            SecretAssert.DoesNotRevealKey(exception.ToString(), material);
        }
    }

    [Fact]
    public void UndefinedPurpose_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => DataKey.FromBytes("k", (KeyPurpose)42, TestKeys.Material(1)));
        Assert.Throws<ArgumentException>(() => DataKey.Generate("k", (KeyPurpose)0, TestKeys.Created));
        using DataKey key = TestKeys.Encryption();
        Assert.Throws<ArgumentException>(() => new KeyRingEntry(key, (DataKeyStatus)9));
    }

    [Fact]
    public void DataKey_ToString_ShowsIdPurposeDateAndCheckValue_ButNotTheKey()
    {
        byte[] material = TestKeys.Material(1);
        using DataKey key = DataKey.FromBytes("enc-1", KeyPurpose.Encryption, material, new DateTimeOffset(2025, 7, 1, 12, 30, 15, 500, TimeSpan.FromHours(2)));

        string text = key.ToString();

        Assert.Contains("enc-1", text, StringComparison.Ordinal);
        Assert.Contains("encryption", text, StringComparison.Ordinal);
        Assert.Contains("2025-07-01", text, StringComparison.Ordinal);
        Assert.Contains(key.KeyCheckValue, text, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{8}$", key.KeyCheckValue);
        SecretAssert.DoesNotRevealKey(text, material);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 10, 30, 15, TimeSpan.Zero), key.CreatedAt);
    }

    [Fact]
    public void DataKey_CopiesItsMaterial()
    {
        byte[] material = TestKeys.Material(1);
        using DataKey key = DataKey.FromBytes("enc-1", KeyPurpose.Encryption, material);
        var encryptor = new FieldEncryptor(TestKeys.Ring((key, DataKeyStatus.Active)));
        byte[] ciphertext = encryptor.Encrypt(TestPlaintexts.SsnBytes, EncryptionContext.None);

        Array.Clear(material);

        Assert.Equal(TestPlaintexts.SsnBytes, encryptor.Decrypt(ciphertext, EncryptionContext.None));
    }

    [Fact]
    public void KeyCheckValue_IsTheSameForTheSameKeyAndDiffersOtherwise()
    {
        using DataKey a = DataKey.FromBytes("a", KeyPurpose.Encryption, TestKeys.Material(1));
        using DataKey b = DataKey.FromBytes("b", KeyPurpose.BlindIndex, TestKeys.Material(1));
        using DataKey c = DataKey.FromBytes("c", KeyPurpose.Encryption, TestKeys.Material(2));

        Assert.Equal(a.KeyCheckValue, b.KeyCheckValue);
        Assert.NotEqual(a.KeyCheckValue, c.KeyCheckValue);
    }

    [Fact]
    public void Generate_MakesDistinctRandomKeys()
    {
        using DataKey a = DataKey.Generate("a", KeyPurpose.Encryption, TestKeys.Created);
        using DataKey b = DataKey.Generate("b", KeyPurpose.Encryption, TestKeys.Created);

        Assert.NotEqual(a.KeyCheckValue, b.KeyCheckValue);
        Assert.Equal(TestKeys.Created, a.CreatedAt);
    }

    [Fact]
    public void Dispose_ZeroesAndDisables()
    {
        DataKey key = TestKeys.Encryption();

        key.Dispose();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.GetMaterial().ToArray());
        Assert.Throws<ArgumentException>(() => TestKeys.Ring((key, DataKeyStatus.Active)));
    }

    [Fact]
    public void Ring_RejectsDuplicateIds_EvenAcrossPurposes()
    {
        using DataKey a = DataKey.FromBytes("dup", KeyPurpose.Encryption, TestKeys.Material(1));
        using DataKey b = DataKey.FromBytes("dup", KeyPurpose.BlindIndex, TestKeys.Material(2));

        var exception = Assert.Throws<ArgumentException>(() => TestKeys.Ring((a, DataKeyStatus.Active), (b, DataKeyStatus.Active)));

        Assert.Contains("'dup'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ring_RejectsTwoActiveKeysForOnePurpose()
    {
        using DataKey a = TestKeys.Encryption("a", 1);
        using DataKey b = TestKeys.Encryption("b", 2);

        var exception = Assert.Throws<ArgumentException>(() => TestKeys.Ring((a, DataKeyStatus.Active), (b, DataKeyStatus.Active)));

        Assert.Contains("both active", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ring_RejectsTheSameMaterialUnderTwoIds_WithoutRevealingIt()
    {
        using DataKey a = DataKey.FromBytes("a", KeyPurpose.Encryption, TestKeys.Material(1));
        using DataKey b = DataKey.FromBytes("b", KeyPurpose.Pseudonymization, TestKeys.Material(1));

        var exception = Assert.Throws<ArgumentException>(() => TestKeys.Ring((a, DataKeyStatus.Active), (b, DataKeyStatus.Active)));

        Assert.Contains("same key material", exception.Message, StringComparison.Ordinal);
        SecretAssert.DoesNotRevealKey(exception.ToString(), TestKeys.Material(1));
    }

    [Fact]
    public void Ring_Transitions_StageActivateRetireRemove()
    {
        using DataKey q3 = TestKeys.Encryption("q3", 1);
        using DataKey q4 = TestKeys.Encryption("q4", 2);
        KeyRing ring = TestKeys.Ring((q3, DataKeyStatus.Active));

        KeyRing staged = ring.WithKey(q4, DataKeyStatus.Staged);
        Assert.Same(q3, staged.GetActiveKey(KeyPurpose.Encryption));
        Assert.Equal(DataKeyStatus.Staged, StatusOf(staged, "q4"));

        KeyRing activated = staged.WithActiveKey("q4");
        Assert.Same(q4, activated.GetActiveKey(KeyPurpose.Encryption));
        Assert.Equal(DataKeyStatus.Retired, StatusOf(activated, "q3"));
        Assert.Equal(new[] { "q4", "q3" }, activated.GetKeys(KeyPurpose.Encryption).Select(k => k.KeyId));

        Assert.Throws<InvalidOperationException>(() => activated.WithoutKey("q4"));
        KeyRing removed = activated.WithoutKey("q3");
        Assert.Single(removed.Entries);
        Assert.False(removed.TryGetKey("q3", out _));

        // The original rings are unchanged.
        Assert.Same(q3, ring.GetActiveKey(KeyPurpose.Encryption));
        Assert.Equal(2, staged.Entries.Count);
        Assert.Throws<KeyNotFoundException>(() => ring.WithActiveKey("nope"));
    }

    [Fact]
    public void Ring_AddingAnActiveKey_RetiresThePreviousOneOfThatPurposeOnly()
    {
        using DataKey enc = TestKeys.Encryption("enc", 1);
        using DataKey idx = DataKey.FromBytes("idx", KeyPurpose.BlindIndex, TestKeys.Material(2));
        using DataKey enc2 = TestKeys.Encryption("enc2", 3);

        KeyRing ring = TestKeys.Ring((enc, DataKeyStatus.Active), (idx, DataKeyStatus.Active)).WithKey(enc2, DataKeyStatus.Active);

        Assert.Same(enc2, ring.GetActiveKey(KeyPurpose.Encryption));
        Assert.Same(idx, ring.GetActiveKey(KeyPurpose.BlindIndex));
        Assert.Equal(DataKeyStatus.Retired, StatusOf(ring, "enc"));
        Assert.Null(ring.GetActiveKey(KeyPurpose.Pseudonymization));
        Assert.Null(ring.GetActiveKey((KeyPurpose)77));
        Assert.Empty(ring.GetKeys((KeyPurpose)77));
    }

    [Fact]
    public void Ring_ToString_NamesActiveKeysOnly()
    {
        using DataKey enc = TestKeys.Encryption("enc", 1);
        KeyRing ring = TestKeys.Ring((enc, DataKeyStatus.Active));

        Assert.Equal("KeyRing (1 key; active encryption key 'enc')", ring.ToString());
        Assert.Equal("KeyRing (0 keys)", KeyRing.Empty.ToString());
        SecretAssert.DoesNotRevealKey(ring.Entries[0].ToString(), TestKeys.Material(1));
    }

    [Fact]
    public void DisposeKeys_DisposesEveryKey()
    {
        DataKey a = TestKeys.Encryption("a", 1);
        DataKey b = DataKey.FromBytes("b", KeyPurpose.BlindIndex, TestKeys.Material(2));
        KeyRing ring = TestKeys.Ring((a, DataKeyStatus.Active), (b, DataKeyStatus.Active));

        ring.DisposeKeys();

        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
    }

    [Fact]
    public void InMemoryProvider_CreateRandom_HasOneActiveKeyPerPurpose_AndOwnsThem()
    {
        var provider = InMemoryKeyRingProvider.CreateRandom(new ManualTimeProvider(TestKeys.Created));
        KeyRing ring = provider.GetKeyRing();

        Assert.Equal("test-encryption", ring.GetActiveKey(KeyPurpose.Encryption)!.KeyId);
        Assert.Equal("test-blind-index", ring.GetActiveKey(KeyPurpose.BlindIndex)!.KeyId);
        Assert.Equal("test-pseudonymization", ring.GetActiveKey(KeyPurpose.Pseudonymization)!.KeyId);
        Assert.Equal(TestKeys.Created, ring.Entries[0].Key.CreatedAt);

        provider.Dispose();

        Assert.All(ring.Entries, e => Assert.True(e.Key.IsDisposed));
    }

    [Fact]
    public void InMemoryProvider_DoesNotDisposeKeysItWasGiven()
    {
        using DataKey key = TestKeys.Encryption();
        var provider = new InMemoryKeyRingProvider(TestKeys.Ring((key, DataKeyStatus.Active)));

        provider.Dispose();

        Assert.False(key.IsDisposed);
        Assert.Contains("enc-1", provider.ToString(), StringComparison.Ordinal);
    }

    private static DataKeyStatus StatusOf(KeyRing ring, string id) => ring.Entries.Single(e => e.Key.KeyId == id).Status;
}
