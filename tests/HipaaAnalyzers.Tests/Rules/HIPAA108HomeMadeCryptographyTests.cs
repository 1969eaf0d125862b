using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA108HomeMadeCryptographyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA108HomeMadeCryptographyTests
{
    [Fact]
    public Task Reports_xor_with_a_key_or_a_constant() => Verify.VerifyAsync(@"
using System.Text;
class Obfuscation
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(""clinic"");

    public static byte[] Protect(byte[] data)
    {
        var result = new byte[data.Length];
        for (int i = 0; i < data.Length; i++)
            result[i] = (byte)({|HIPAA108:data[i] ^ Key[i % Key.Length]|});
        return result;
    }

    public static string Encrypt(string text)
    {
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            chars[i] = (char)({|HIPAA108:chars[i] ^ 0x5A|});
        return new string(chars);
    }

    public static void Scramble(byte[] buffer, byte secret)
    {
        for (int i = 0; i < buffer.Length; i++)
            {|HIPAA108:buffer[i] ^= secret|};
    }

    public static byte[] Transform(byte[] data, byte salt)
    {
        var encrypted = new byte[data.Length];
        for (int i = 0; i < data.Length; i++)
            encrypted[i] = (byte)({|HIPAA108:data[i] ^ (salt + i)|});
        return encrypted;
    }
}");

    [Fact]
    public Task Reports_base64_caesar_and_substitution_used_as_encryption() => Verify.VerifyAsync(@"
using System;
using System.Collections.Generic;
using System.Text;
class Legacy
{
    public string EncryptPassword(string password) => {|HIPAA108:Convert.ToBase64String(Encoding.UTF8.GetBytes(password))|};

    public string DecryptPassword(string stored) => Encoding.UTF8.GetString({|HIPAA108:Convert.FromBase64String(stored)|});

    public void Save(Record record, string ssn)
    {
        record.EncryptedSsn = {|HIPAA108:Convert.ToBase64String(Encoding.UTF8.GetBytes(ssn))|};
    }

    public string CaesarEncrypt(string text, int shift)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
            sb.Append(char.IsLetter(c) ? {|HIPAA108:(char)((c - 'a' + shift) % 26 + 'a')|} : c);
        return sb.ToString();
    }

    private static readonly Dictionary<char, char> Table = new() { ['a'] = 'q', ['b'] = 'w' };

    public string Encipher(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text) sb.Append({|HIPAA108:Table[c]|});
        return sb.ToString();
    }

    private const string Plain = ""abcdefghijklmnopqrstuvwxyz"";
    private const string Shuffled = ""qwertyuiopasdfghjklzxcvbnm"";

    public string ObfuscateName(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            int at = {|HIPAA108:Plain.IndexOf(chars[i])|};
            if (at >= 0) chars[i] = Shuffled[at];
        }
        return new string(chars);
    }
}
class Record { public string EncryptedSsn { get; set; } = """"; }");

    [Fact]
    public Task Leaves_alone_hashes_checksums_parity_flags_and_real_cryptography() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
class Point
{
    public int X, Y;
    public override int GetHashCode() => X ^ (Y << 16);
}
static class Fnv
{
    public static uint Hash(byte[] data)
    {
        uint hash = 2166136261;
        foreach (var b in data) { hash ^= b; hash *= 16777619; }
        return hash;
    }
}
static class Checks
{
    public static byte Checksum(byte[] data)
    {
        byte sum = 0;
        foreach (var b in data) sum ^= b;
        return sum;
    }

    public static uint Crc32(byte[] data, uint[] table)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    public static bool Parity(int value)
    {
        value ^= value >> 16;
        value ^= value >> 8;
        return (value & 1) != 0;
    }

    public static int ToggleBold(int style) => style ^ 0x02;

    public static bool Differs(bool a, bool b) => a ^ b;

    public static int Combine(int key, int other) => HashCode.Combine(key, other);

    public static int IndexFor(int key, int mask) => (key ^ (key >>> 16)) & mask;

    public static long Spread(long sessionKey, long salt) => sessionKey ^ salt;
}
class RealCrypto
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Encrypt(string plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), aes.IV);
        return Convert.ToBase64String(cipher);
    }

    public string EncryptCtr(byte[] data, byte[] keystreamKey)
    {
        using var aes = Aes.Create();
        aes.Key = keystreamKey;
        var stream = aes.EncryptEcb(new byte[data.Length + 16 - data.Length % 16], PaddingMode.None);
        var output = new byte[data.Length];
        for (int i = 0; i < data.Length; i++) output[i] = (byte)(data[i] ^ stream[i]);
        return Convert.ToBase64String(output);
    }

    public string ToTransport(byte[] ciphertext) => Convert.ToBase64String(ciphertext);
    public int FindSeparator(string text) => text.IndexOf(text[0]);
    public string EncryptionHeader(string header) => header.Substring(header.IndexOf(':') + 1);
    public string EncodeAttachment(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}");

    [Fact]
    public Task Message_names_the_method_and_what_it_does() => Verify.VerifyAsync(@"
class C
{
    public string EncryptPassword(string password) =>
        {|#0:System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password))|};
}", Verify.Diagnostic("HIPAA108").WithLocation(0).WithArguments("EncryptPassword", "only Base64-encodes the data"));
}
