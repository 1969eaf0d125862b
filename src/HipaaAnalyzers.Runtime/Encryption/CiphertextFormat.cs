using System;
using System.Text;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// The binary layout of a field ciphertext, format version 1 (documented byte by byte in
/// <c>docs/runtime/encryption.md</c>):
/// <code>
/// offset   size  field
/// 0        1     version = 0x01
/// 1        1     key id length L (1..64)
/// 2        L     key id, ASCII A-Z a-z 0-9 . _ -
/// 2+L      4     key check value (HKDF of the data key)
/// 6+L      12    nonce (random)
/// 18+L     n     AES-256-GCM ciphertext (n = plaintext length)
/// 18+L+n   16    GCM tag
/// </code>
/// The bytes at offsets 0 to 6+L (the "header prefix") are authenticated as the first part of the GCM
/// associated data; the encoded <see cref="EncryptionContext"/> follows them.
/// </summary>
internal static class CiphertextFormat
{
    public const byte Version1 = 0x01;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeyCheckSize = CryptoHelpers.KeyCheckSizeInBytes;
    public const int MaxKeyIdLength = DataKey.MaximumKeyIdLength;

    /// <summary>Everything but the key id and the ciphertext: version, length byte, check value, nonce and tag.</summary>
    public const int FixedOverhead = 1 + 1 + KeyCheckSize + NonceSize + TagSize;

    /// <summary>The shortest valid ciphertext: a one-character key id and an empty plaintext.</summary>
    public const int MinimumLength = FixedOverhead + 1;

    public static byte[] CreateHeaderPrefix(ReadOnlySpan<byte> keyId, ReadOnlySpan<byte> keyCheck)
    {
        var prefix = new byte[2 + keyId.Length + KeyCheckSize];
        prefix[0] = Version1;
        prefix[1] = (byte)keyId.Length;
        keyId.CopyTo(prefix.AsSpan(2));
        keyCheck.CopyTo(prefix.AsSpan(2 + keyId.Length));
        return prefix;
    }

    public static int GetCiphertextLength(int keyIdLength, int plaintextLength) =>
        checked(FixedOverhead + keyIdLength + plaintextLength);

    /// <summary>
    /// Reads and checks the header. The version byte is checked first, before any length, so a value from
    /// a future format is reported as such even when it is short.
    /// </summary>
    public static Parsed Parse(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new MalformedCiphertextException("The ciphertext is empty.");
        }

        byte version = data[0];
        if (version != Version1)
        {
            throw new UnsupportedCiphertextVersionException(version);
        }

        if (data.Length < 2)
        {
            throw Truncated(data.Length, MinimumLength);
        }

        int keyIdLength = data[1];
        if (keyIdLength is 0 or > MaxKeyIdLength)
        {
            throw new MalformedCiphertextException(CryptoHelpers.FormatInvariant(
                $"The ciphertext header is invalid: it gives a key id length of {keyIdLength}, outside 1..{MaxKeyIdLength}. The value was modified or is not a field ciphertext."));
        }

        int required = FixedOverhead + keyIdLength;
        if (data.Length < required)
        {
            throw Truncated(data.Length, required);
        }

        // The key id characters are checked by ValidateKeyId, on the paths that need it: a key id that matches a
        // key of the ring is valid by construction, so decryption checks only ids it does not find.
        return new Parsed(keyIdLength, data.Length - required);
    }

    /// <summary>Throws <see cref="MalformedCiphertextException"/> when the key id has characters a key id cannot have.</summary>
    public static void ValidateKeyId(ReadOnlySpan<byte> keyId)
    {
        foreach (byte b in keyId)
        {
            if (!DataKey.IsKeyIdByte(b))
            {
                throw new MalformedCiphertextException(
                    "The ciphertext header is invalid: its key id contains characters outside A-Z a-z 0-9 . _ -. The value was modified or is not a field ciphertext.");
            }
        }
    }

    private static MalformedCiphertextException Truncated(int length, int required) =>
        new(CryptoHelpers.FormatInvariant(
            $"The ciphertext is truncated: it is {length} bytes long, and its header requires at least {required}. Check that the column is wide enough and that the whole value was read."));

    /// <summary>The offsets of a checked ciphertext.</summary>
    public readonly struct Parsed
    {
        public Parsed(int keyIdLength, int plaintextLength)
        {
            KeyIdLength = keyIdLength;
            PlaintextLength = plaintextLength;
        }

        public int KeyIdLength { get; }

        public int PlaintextLength { get; }

        public int HeaderPrefixLength => 2 + KeyIdLength + KeyCheckSize;

        public int NonceOffset => HeaderPrefixLength;

        public int CiphertextOffset => HeaderPrefixLength + NonceSize;

        public int TagOffset => CiphertextOffset + PlaintextLength;

        public ReadOnlySpan<byte> KeyId(ReadOnlySpan<byte> data) => data.Slice(2, KeyIdLength);

        public ReadOnlySpan<byte> KeyCheck(ReadOnlySpan<byte> data) => data.Slice(2 + KeyIdLength, KeyCheckSize);

        /// <summary>The key id as text, after checking its characters (it may come from a modified value).</summary>
        public string KeyIdString(ReadOnlySpan<byte> data)
        {
            ValidateKeyId(KeyId(data));
            return Encoding.ASCII.GetString(KeyId(data));
        }
    }
}
