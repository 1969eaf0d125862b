using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace PeerComparison.Corpus;

// Category homemade-crypto: XOR "encryption", Base64 as encryption and a hand-written cipher transform, next to XOR in
// checksums, hash mixing and constant-time comparison, and Base64 as a transport encoding of real ciphertext.
public static class HomeMadeCrypto
{
    private const string ObfuscationKey = "St.Jude-2019";

    // Vulnerable: XOR with a repeating key, used to "encrypt" a social security number.
    public static byte[] EncryptSsn(string ssn, byte[] key)
    {
        var data = Encoding.UTF8.GetBytes(ssn);
        var output = new byte[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            output[i] = (byte)(data[i] ^ key[i % key.Length]); // expect: homemade-crypto
        }

        return output;
    }

    // Vulnerable: the same idea in LINQ, for a diagnosis code kept in a cookie.
    public static string ObfuscateDiagnosisCode(string code)
    {
        var bytes = Encoding.UTF8.GetBytes(code).Select((b, i) => (byte)(b ^ ObfuscationKey[i % ObfuscationKey.Length])).ToArray(); // expect: homemade-crypto
        return Convert.ToBase64String(bytes);
    }

    // Vulnerable: Base64 called encryption.
    public static string EncryptPatientEmail(string email)
    {
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(email)); // expect: homemade-crypto
    }

    // Vulnerable: a character shift "cipher" for a note shown to the front desk.
    public static string ScrambleNote(string note)
    {
        var chars = note.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)(chars[i] + 7); // expect: homemade-crypto
        }

        return new string(chars);
    }

    // Safe: the XOR longitudinal redundancy check of a serial frame from a bedside monitor.
    public static byte FrameChecksum(byte[] frame)
    {
        byte checksum = 0;
        foreach (var b in frame)
        {
            checksum ^= b; // safe: homemade-crypto
        }

        return checksum;
    }

    // Safe: XOR in hash-code mixing.
    public static int CombineHash(string facilityCode, int bedNumber)
    {
        var hash = 17;
        hash = (hash * 31) ^ facilityCode.GetHashCode(); // safe: homemade-crypto
        return (hash * 31) ^ bedNumber;
    }

    // Safe: constant-time comparison of two MACs accumulates XOR differences.
    public static bool MacsEqual(byte[] expected, byte[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        var difference = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference |= expected[i] ^ actual[i]; // safe: homemade-crypto
        }

        return difference == 0;
    }

    // Safe: Base64 as the JSON encoding of AES-GCM output.
    public static string EncodeCiphertext(byte[] nonce, byte[] ciphertext, byte[] tag)
    {
        return Convert.ToBase64String(nonce.Concat(ciphertext).Concat(tag).ToArray()); // safe: homemade-crypto
    }
}

// Vulnerable: a hand-written cipher transform plugged into CryptoStream.
public sealed class RollingXorTransform : ICryptoTransform // expect: homemade-crypto @rolling-xor
{
    private readonly byte[] _key;
    private int _position;

    public RollingXorTransform(byte[] key) => _key = key;

    public bool CanReuseTransform => false;

    public bool CanTransformMultipleBlocks => true;

    public int InputBlockSize => 1;

    public int OutputBlockSize => 1;

    public int TransformBlock(byte[] inputBuffer, int inputOffset, int inputCount, byte[] outputBuffer, int outputOffset)
    {
        for (var i = 0; i < inputCount; i++)
        {
            outputBuffer[outputOffset + i] = (byte)(inputBuffer[inputOffset + i] ^ _key[_position++ % _key.Length]); // expect: homemade-crypto @rolling-xor
        }

        return inputCount;
    }

    public byte[] TransformFinalBlock(byte[] inputBuffer, int inputOffset, int inputCount)
    {
        var output = new byte[inputCount];
        TransformBlock(inputBuffer, inputOffset, inputCount, output, 0);
        return output;
    }

    public void Dispose()
    {
    }
}
