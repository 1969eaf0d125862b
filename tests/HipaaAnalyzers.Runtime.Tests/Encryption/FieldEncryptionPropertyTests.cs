using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>
/// Property-based tests: round trip for any payload and context, rejection of any single bit flip or
/// truncation, and no value lost across any sequence of rotations. The case counts keep the class
/// within a second or two.
/// </summary>
public sealed class FieldEncryptionPropertyTests : IDisposable
{
    private readonly DataKey _key = TestKeys.Encryption("enc-prop", seed: 11);
    private readonly FieldEncryptor _encryptor;

    public FieldEncryptionPropertyTests()
    {
        _encryptor = new FieldEncryptor(TestKeys.Ring((_key, DataKeyStatus.Active)));
    }

    public void Dispose() => _key.Dispose();

    /// <summary>Payloads from empty to a few KB, context parts of any well-formed text (including empty and non-ASCII).</summary>
    private static Arbitrary<(byte[] Payload, string[] Context)> Cases()
    {
        Gen<byte> bytes = Gen.Choose(0, 255).Select(i => (byte)i);
        Gen<byte[]> payload = Gen.Frequency(
            (4, Gen.ArrayOf(bytes)),
            (1, Gen.Choose(1000, 5000).SelectMany(n => Gen.ArrayOf(bytes, n))));
        Gen<char> chars = Gen.Frequency(
            (6, Gen.Choose(0x20, 0x7E).Select(i => (char)i)),
            (1, Gen.Choose(0, 0x1F).Select(i => (char)i)),
            (2, Gen.Choose(0xA0, 0xD7FF).Select(i => (char)i)),
            (1, Gen.Choose(0xE000, 0xFFFD).Select(i => (char)i)));
        Gen<string> part = Gen.ArrayOf(chars).Select(c => new string(c));
        Gen<string[]> context = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(part, n));
        return payload.Zip(context).ToArbitrary();
    }

    [Property(MaxTest = 200)]
    public Property RoundTrip_AnyPayloadAndContext()
    {
        return Prop.ForAll(Cases(), c =>
        {
            var context = EncryptionContext.FromParts(c.Context);
            byte[] ciphertext = _encryptor.Encrypt(c.Payload, context);
            return _encryptor.Decrypt(ciphertext, context).AsSpan().SequenceEqual(c.Payload)
                && _encryptor.DecryptString(_encryptor.EncryptString(string.Concat(c.Context), context), context) == string.Concat(c.Context);
        });
    }

    [Property(MaxTest = 300)]
    public Property AnySingleBitFlip_IsRejected()
    {
        Arbitrary<(byte[] Payload, string[] Context, int Bit)> cases =
            Cases().Generator.SelectMany(c => Gen.Choose(0, int.MaxValue).Select(bit => (c.Payload, c.Context, bit))).ToArbitrary();

        return Prop.ForAll(cases, c =>
        {
            var context = EncryptionContext.FromParts(c.Context);
            byte[] ciphertext = _encryptor.Encrypt(c.Payload, context);
            int bit = c.Bit % (ciphertext.Length * 8);
            ciphertext[bit / 8] ^= (byte)(1 << (bit % 8));
            return Rejects(ciphertext, context);
        });
    }

    [Property(MaxTest = 300)]
    public Property AnyTruncation_IsRejected()
    {
        Arbitrary<(byte[] Payload, string[] Context, int Cut)> cases =
            Cases().Generator.SelectMany(c => Gen.Choose(0, int.MaxValue).Select(cut => (c.Payload, c.Context, cut))).ToArbitrary();

        return Prop.ForAll(cases, c =>
        {
            var context = EncryptionContext.FromParts(c.Context);
            byte[] ciphertext = _encryptor.Encrypt(c.Payload, context);
            int length = c.Cut % ciphertext.Length; // 0 .. Length-1: every proper prefix
            return Rejects(ciphertext.AsSpan(0, length).ToArray(), context);
        });
    }

    [Property(MaxTest = 100)]
    public Property AnotherContext_IsRejected()
    {
        Arbitrary<((byte[] Payload, string[] Context) A, (byte[] Payload, string[] Context) B)> cases = Cases().Zip(Cases());

        return Prop.ForAll(cases, c =>
        {
            var encryptedWith = EncryptionContext.FromParts(c.A.Context);
            var decryptedWith = EncryptionContext.FromParts(c.B.Context);
            bool same = encryptedWith.Encoded.SequenceEqual(decryptedWith.Encoded);
            byte[] ciphertext = _encryptor.Encrypt(c.A.Payload, encryptedWith);
            return same ? _encryptor.Decrypt(ciphertext, decryptedWith).AsSpan().SequenceEqual(c.A.Payload) : Rejects(ciphertext, decryptedWith);
        });
    }

    /// <summary>
    /// A random interleaving of writes, rotations (staging and activating a new key), re-encryption of a random
    /// subset and removal of keys that no value uses any more: every value written still decrypts to what was
    /// written, and after a full re-encryption every value is under the active key.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property Rotation_NeverLosesAValue()
    {
        Gen<int[]> operations = Gen.ArrayOf(Gen.Choose(0, 9), 40).ScaleSize(s => Math.Min(s, 40));
        Gen<byte[]> seeds = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 32);

        return Prop.ForAll(operations.Zip(seeds).ToArbitrary(), c =>
        {
            var random = new Random(BitConverter.ToInt32(c.Item2, 0));
            var keys = new List<DataKey>();
            try
            {
                DataKey first = DataKey.Generate("k0", KeyPurpose.Encryption, TestKeys.Created);
                keys.Add(first);
                var provider = new InMemoryKeyRingProvider(TestKeys.Ring((first, DataKeyStatus.Active)));
                var encryptor = new FieldEncryptor(provider);
                var reEncryptor = new FieldReEncryptor(encryptor);
                var stored = new List<(byte[] Plaintext, EncryptionContext Context, byte[] Ciphertext)>();

                foreach (int op in c.Item1)
                {
                    KeyRing ring = provider.GetKeyRing();
                    switch (op)
                    {
                        case <= 4: // write a value
                            byte[] plaintext = new byte[random.Next(0, 64)];
                            random.NextBytes(plaintext);
                            var context = EncryptionContext.ForField("T", "C", stored.Count);
                            stored.Add((plaintext, context, encryptor.Encrypt(plaintext, context)));
                            break;
                        case 5: // stage a new key
                            DataKey staged = DataKey.Generate("k" + keys.Count, KeyPurpose.Encryption, TestKeys.Created);
                            keys.Add(staged);
                            provider.Update(ring.WithKey(staged, DataKeyStatus.Staged));
                            break;
                        case 6: // activate a staged or retired key
                            DataKey[] inactive = ring.Entries.Where(e => e.Status != DataKeyStatus.Active).Select(e => e.Key).ToArray();
                            if (inactive.Length > 0)
                            {
                                provider.Update(ring.WithActiveKey(inactive[random.Next(inactive.Length)].KeyId));
                            }

                            break;
                        case 7: // rotate in one step
                            DataKey next = DataKey.Generate("k" + keys.Count, KeyPurpose.Encryption, TestKeys.Created);
                            keys.Add(next);
                            provider.Update(ring.WithKey(next, DataKeyStatus.Active));
                            break;
                        case 8: // re-encrypt a random subset
                            for (int i = 0; i < stored.Count; i++)
                            {
                                if (random.Next(2) == 0)
                                {
                                    stored[i] = (stored[i].Plaintext, stored[i].Context, encryptor.ReEncrypt(stored[i].Ciphertext, stored[i].Context));
                                }
                            }

                            break;
                        default: // remove inactive keys that no stored value uses
                            var used = stored.Select(s => FieldEncryptor.ReadHeader(s.Ciphertext).KeyId).ToHashSet(StringComparer.Ordinal);
                            foreach (KeyRingEntry entry in ring.Entries.Where(e => e.Status != DataKeyStatus.Active && !used.Contains(e.Key.KeyId)))
                            {
                                provider.Update(provider.GetKeyRing().WithoutKey(entry.Key.KeyId));
                            }

                            break;
                    }

                    if (!stored.All(s => encryptor.Decrypt(s.Ciphertext, s.Context).AsSpan().SequenceEqual(s.Plaintext)))
                    {
                        return false;
                    }
                }

                // A full re-encryption leaves everything on the active key, still decrypting to the original.
                var records = Enumerable.Range(0, stored.Count).ToArray();
                ReEncryptionResult result = reEncryptor.ReEncrypt(
                    records,
                    i => new EncryptedField(stored[i].Ciphertext, stored[i].Context),
                    (i, updated) => stored[i] = (stored[i].Plaintext, stored[i].Context, updated));

                string active = provider.GetKeyRing().GetActiveKey(KeyPurpose.Encryption)!.KeyId;
                return result.IsComplete
                    && stored.All(s => FieldEncryptor.ReadHeader(s.Ciphertext).KeyId == active)
                    && stored.All(s => encryptor.Decrypt(s.Ciphertext, s.Context).AsSpan().SequenceEqual(s.Plaintext));
            }
            finally
            {
                keys.ForEach(k => k.Dispose());
            }
        });
    }

    private bool Rejects(byte[] ciphertext, EncryptionContext context)
    {
        try
        {
            _encryptor.Decrypt(ciphertext, context);
            return false;
        }
        catch (FieldEncryptionException)
        {
            return true;
        }
    }
}
