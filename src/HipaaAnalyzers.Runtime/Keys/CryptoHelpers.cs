using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HipaaAnalyzers.Runtime;

/// <summary>Text names of <see cref="KeyPurpose"/> and <see cref="DataKeyStatus"/> used in key files and messages.</summary>
internal static class KeyPurposeNames
{
    public static string ToText(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.Encryption => "encryption",
        KeyPurpose.BlindIndex => "blind-index",
        KeyPurpose.Pseudonymization => "pseudonymization",
        KeyPurpose.Application => "application",
        _ => "unknown",
    };

    public static bool TryParse(string? text, out KeyPurpose purpose)
    {
        switch (text)
        {
            case "encryption":
                purpose = KeyPurpose.Encryption;
                return true;
            case "blind-index":
                purpose = KeyPurpose.BlindIndex;
                return true;
            case "pseudonymization":
                purpose = KeyPurpose.Pseudonymization;
                return true;
            case "application":
                purpose = KeyPurpose.Application;
                return true;
            default:
                purpose = default;
                return false;
        }
    }

    public static bool IsDefined(KeyPurpose purpose) =>
        purpose is KeyPurpose.Encryption or KeyPurpose.BlindIndex or KeyPurpose.Pseudonymization or KeyPurpose.Application;

    public static string ToText(DataKeyStatus status) => status switch
    {
        DataKeyStatus.Active => "active",
        DataKeyStatus.Staged => "staged",
        DataKeyStatus.Retired => "retired",
        _ => "unknown",
    };

    public static bool TryParse(string? text, out DataKeyStatus status)
    {
        switch (text)
        {
            case "active":
                status = DataKeyStatus.Active;
                return true;
            case "staged":
                status = DataKeyStatus.Staged;
                return true;
            case "retired":
                status = DataKeyStatus.Retired;
                return true;
            default:
                status = default;
                return false;
        }
    }

    public static bool IsDefined(DataKeyStatus status) =>
        status is DataKeyStatus.Active or DataKeyStatus.Staged or DataKeyStatus.Retired;
}

/// <summary>
/// The fixed HKDF labels and small helpers shared by the key and encryption code. Every derived key has
/// its own label, so no key is ever used by two algorithms.
/// </summary>
internal static class CryptoHelpers
{
    /// <summary>HKDF info for the AES-256-GCM key derived from an encryption data key.</summary>
    public static ReadOnlySpan<byte> FieldEncryptionLabel => "HipaaAnalyzers.Runtime/v1/field-encryption/aes-256-gcm"u8;

    /// <summary>HKDF info for the 4-byte key check value of a data key.</summary>
    public static ReadOnlySpan<byte> KeyCheckLabel => "HipaaAnalyzers.Runtime/v1/key-check"u8;

    /// <summary>HKDF info prefix for per-column blind index keys (followed by the length-prefixed table and column).</summary>
    public static ReadOnlySpan<byte> BlindIndexLabel => "HipaaAnalyzers.Runtime/v1/blind-index"u8;

    /// <summary>HKDF info for the AES-256-GCM wrapping key derived from a local master key.</summary>
    public static ReadOnlySpan<byte> MasterKeyWrapLabel => "HipaaAnalyzers.Runtime/v1/master-key/aes-256-gcm"u8;

    /// <summary>HKDF info for the key check value of a local master key.</summary>
    public static ReadOnlySpan<byte> MasterKeyCheckLabel => "HipaaAnalyzers.Runtime/v1/master-key/key-check"u8;

    /// <summary>The label at the start of the associated data that binds a wrapped key to its key ring entry.</summary>
    public static ReadOnlySpan<byte> KeyWrapContextLabel => "HipaaAnalyzers.Runtime/v1/key-ring-entry"u8;

    public const int KeyCheckSizeInBytes = 4;

    /// <summary>UTF-8 that throws on unpaired surrogates instead of replacing them, so that encodings are unambiguous.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Allocates a pinned array for key material, so the GC never leaves copies behind that zeroing would miss.</summary>
    public static byte[] AllocateKeyBuffer(int length) => GC.AllocateArray<byte>(length, pinned: true);

    public static byte[] DeriveKey(ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> info, int length)
    {
        byte[] derived = AllocateKeyBuffer(length);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKey, derived, salt: ReadOnlySpan<byte>.Empty, info);
        return derived;
    }

    public static string ToLowerHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Writes a 32-bit big-endian length followed by the strict UTF-8 bytes of <paramref name="text"/>.</summary>
    public static int WriteLengthPrefixed(Span<byte> destination, string text)
    {
        int length = StrictUtf8.GetBytes(text, destination.Slice(4));
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length);
        return 4 + length;
    }

    /// <summary>The number of bytes <see cref="WriteLengthPrefixed"/> writes; throws <see cref="ArgumentException"/> on ill-formed UTF-16.</summary>
    public static int GetLengthPrefixedSize(string text, string paramName)
    {
        try
        {
            return checked(4 + StrictUtf8.GetByteCount(text));
        }
        catch (EncoderFallbackException)
        {
            // The fallback exception's message quotes the offending character: never pass it on.
            throw new ArgumentException("The text contains an unpaired surrogate and cannot be encoded as UTF-8.", paramName);
        }
    }

    public static string FormatInvariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
