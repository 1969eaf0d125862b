using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA106StaticIvOrSaltAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA106StaticIvOrSaltTests
{
    [Fact]
    public Task Reports_zero_and_constant_ivs_nonces_and_salts() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
using System.Text;
class Crypto
{
    private static readonly byte[] FixedIv = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes(""clinic-salt-2019"");
    private const string IvText = ""0123456789abcdef"";
    private static readonly string SaltText = ""clinic-salt"";

    byte[] Cbc(Aes aes, byte[] data)
    {
        aes.IV = {|HIPAA106:new byte[16]|};
        using var encryptor = aes.CreateEncryptor(aes.Key, {|HIPAA106:FixedIv|});
        var other = aes.EncryptCbc(data, {|HIPAA106:Encoding.ASCII.GetBytes(IvText)|});
        return encryptor.TransformFinalBlock(data, 0, data.Length);
    }

    void Gcm(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        var nonce = new byte[12];
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt({|HIPAA106:nonce|}, plaintext, ciphertext, tag);
        using var chacha = new ChaCha20Poly1305(key);
        chacha.Encrypt({|HIPAA106:new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }|}, plaintext, ciphertext, tag);
    }

    byte[] Derive(string password)
    {
        var a = Rfc2898DeriveBytes.Pbkdf2(password, {|HIPAA106:Salt|}, 600_000, HashAlgorithmName.SHA256, 32);
        var b = Rfc2898DeriveBytes.Pbkdf2(password, {|HIPAA106:Encoding.UTF8.GetBytes(""pepper"")|}, 600_000, HashAlgorithmName.SHA256, 32);
        var c = Rfc2898DeriveBytes.Pbkdf2(password, {|HIPAA106:Encoding.UTF8.GetBytes(SaltText)|}, 600_000, HashAlgorithmName.SHA256, 32);
        return a;
    }
}");

    [Fact]
    public Task Reports_a_nonce_field_reused_across_calls() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class Sealer
{
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(12);
    private readonly AesGcm _gcm = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);

    public void Seal(byte[] plaintext, byte[] ciphertext, byte[] tag) =>
        _gcm.Encrypt({|HIPAA106:_nonce|}, plaintext, ciphertext, tag);

    public void SealFresh(byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        RandomNumberGenerator.Fill(_nonce);
        _gcm.Encrypt(_nonce, plaintext, ciphertext, tag);
    }
}");

    [Fact]
    public Task Leaves_alone_decryption_random_and_stored_ivs_and_keys() => Verify.VerifyAsync(@"
using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
class Crypto
{
    private static readonly byte[] FixedIv = new byte[16];
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(""0123456789abcdef0123456789abcdef"");

    byte[] Decrypt(Aes aes, byte[] data)
    {
        aes.IV = new byte[16];
        using var decryptor = aes.CreateDecryptor(aes.Key, FixedIv);
        return aes.DecryptCbc(data, FixedIv);
    }

    void Open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] plaintext)
    {
        using var gcm = new AesGcm(key, 16);
        gcm.Decrypt(new byte[12], ciphertext, tag, plaintext);
    }

    byte[] Encrypt(byte[] data, Stream output)
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        aes.GenerateIV();
        output.Write(aes.IV);
        var iv = new byte[16];
        RandomNumberGenerator.Fill(iv);
        var fromCiphertext = new byte[16];
        Buffer.BlockCopy(data, 0, fromCiphertext, 0, 16);
        var second = aes.EncryptCbc(data, fromCiphertext);
        return aes.EncryptCbc(data, iv);
    }

    void Seal(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(RandomNumberGenerator.GetBytes(12), plaintext, ciphertext, tag);
        var nonce = new byte[12];
        RandomNumberGenerator.Fill(nonce);
        gcm.Encrypt(nonce, plaintext, ciphertext, tag);
    }

    byte[] Hash(string password, byte[] storedSalt) =>
        Rfc2898DeriveBytes.Pbkdf2(password, storedSalt, 600_000, HashAlgorithmName.SHA256, 32);

    byte[] Expand(byte[] ikm) => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, new byte[32], Encoding.UTF8.GetBytes(""info""));
}");

    [Fact]
    public Task Reports_through_spans_hex_and_other_aeads() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
class More
{
    void Run(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag, Aes aes)
    {
        using var ccm = new AesCcm(key);
        ccm.Encrypt({|HIPAA106:Convert.FromHexString(""000102030405060708090a0b"")|}, plaintext, ciphertext, tag);
        var iv = new byte[16];
        var c = aes.EncryptCfb(plaintext, {|HIPAA106:iv.AsSpan()|}, PaddingMode.None, 8);
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt({|HIPAA106:new ReadOnlySpan<byte>(new byte[12])|}, plaintext, ciphertext, tag);
    }
}");

    [Fact]
    public Task Reports_a_static_nonce_field_and_leaves_alone_one_refreshed_by_assignment() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
static class Sealer
{
    private static byte[] s_nonce = RandomNumberGenerator.GetBytes(12);

    public static void Seal(ChaCha20Poly1305 cipher, byte[] plaintext, byte[] ciphertext, byte[] tag) =>
        cipher.Encrypt({|HIPAA106:s_nonce|}, plaintext, ciphertext, tag);

    public static void SealFresh(ChaCha20Poly1305 cipher, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        s_nonce = RandomNumberGenerator.GetBytes(12);
        cipher.Encrypt(s_nonce, plaintext, ciphertext, tag);
    }

    public static void Open(ChaCha20Poly1305 cipher, byte[] ciphertext, byte[] tag, byte[] plaintext) =>
        cipher.Decrypt(s_nonce, ciphertext, tag, plaintext);
}");

    [Fact]
    public Task Reports_an_iv_or_nonce_taken_from_the_key() => Verify.VerifyAsync(@"
using System;
using System.Linq;
using System.Security.Cryptography;
class KeyAsIv
{
    byte[] Span(byte[] key, byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.IV = {|HIPAA106:key.AsSpan(0, 16).ToArray()|};
        using var encryptor = aes.CreateEncryptor();
        return encryptor.TransformFinalBlock(data, 0, data.Length);
    }

    void Linq(Aes aes) => aes.IV = {|HIPAA106:aes.Key.Take(16).ToArray()|};

    void Range(Aes aes, byte[] key)
    {
        aes.Key = key;
        aes.IV = {|HIPAA106:key[..16]|};
    }

    void Local(Aes aes, byte[] key)
    {
        aes.Key = key;
        var iv = key;
        aes.IV = {|HIPAA106:iv|};
    }

    ICryptoTransform Both(Aes aes, byte[] key) => aes.CreateEncryptor(key, {|HIPAA106:key|});

    byte[] Copied(Aes aes, byte[] key, byte[] data)
    {
        var iv = new byte[16];
        Array.Copy(key, iv, 16);
        aes.Key = key;
        return aes.EncryptCbc(data, {|HIPAA106:iv|});
    }

    void Nonce(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt({|HIPAA106:key.AsSpan(0, 12)|}, plaintext, ciphertext, tag);
    }
}");

    [Fact]
    public Task Leaves_alone_random_ivs_ivs_from_the_ciphertext_and_key_and_iv_cut_from_one_derived_buffer() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
class NotKeyAsIv
{
    byte[] Random(Aes aes, byte[] key, byte[] data)
    {
        aes.Key = key;
        aes.IV = RandomNumberGenerator.GetBytes(16);
        var iv = new byte[16];
        RandomNumberGenerator.Fill(iv);
        return aes.EncryptCbc(data, iv);
    }

    byte[] Decrypt(Aes aes, byte[] key, byte[] stored)
    {
        aes.Key = key;
        aes.IV = stored.AsSpan(0, 16).ToArray();
        return aes.DecryptCbc(stored.AsSpan(16), aes.IV);
    }

    byte[] Open(byte[] key, byte[] stored)
    {
        var nonce = stored.AsSpan(0, 12);
        var plaintext = new byte[stored.Length - 28];
        using var gcm = new AesGcm(key, 16);
        gcm.Decrypt(nonce, stored.AsSpan(12, plaintext.Length), stored.AsSpan(stored.Length - 16), plaintext);
        return plaintext;
    }

    byte[] Derived(Aes aes, string password, byte[] salt, byte[] data)
    {
        var material = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 48);
        aes.Key = material[..32];
        aes.IV = material[32..];
        return aes.EncryptCbc(data, aes.IV);
    }
}");

    [Fact]
    public Task Message_names_the_input_the_api_and_the_problem() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class C
{
    void Seal(AesGcm gcm, byte[] p, byte[] c, byte[] t) => gcm.Encrypt({|#0:new byte[12]|}, p, c, t);
}", Verify.Diagnostic("HIPAA106").WithLocation(0).WithArguments("nonce", "AesGcm.Encrypt", "an all-zero array"));
}
