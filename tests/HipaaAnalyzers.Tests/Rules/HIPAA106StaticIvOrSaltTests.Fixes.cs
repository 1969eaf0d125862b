using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA106StaticIvOrSaltAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA106StaticIvOrSaltFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA106StaticIvOrSaltTests
{
    /// <summary>The code fix: RandomNumberGenerator.GetBytes(n) in place of the fixed bytes.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_fresh_random_bytes()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
class C
{
    void Run(System.Security.Cryptography.Aes aes) => aes.IV = new byte[16];
}");

            Assert.Equal(new (string, string?)[] { ("Use fresh random bytes from RandomNumberGenerator", "HIPAA106.RandomBytes") }, offered);
        }

        [Fact]
        public Task Replaces_values_and_local_initializers_once_per_local() => VerifyFix.VerifyFixAsync(@"
using System.IO;
using System.Security.Cryptography;
using System.Text;
class Crypto
{
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes(""clinic-salt-2019"");

    byte[] Cbc(Aes aes, byte[] data, Stream output)
    {
        aes.IV = {|HIPAA106:new byte[16]|};
        var iv = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        var first = aes.EncryptCbc(data, {|HIPAA106:iv|});
        return aes.EncryptCbc(first, {|HIPAA106:iv|});
    }

    void Gcm(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt({|HIPAA106:new byte[12]|}, plaintext, ciphertext, tag);
    }

    byte[] Derive(string password) =>
        Rfc2898DeriveBytes.Pbkdf2(password, {|HIPAA106:Salt|}, 600_000, HashAlgorithmName.SHA256, 32);
}", @"
using System.IO;
using System.Security.Cryptography;
using System.Text;
class Crypto
{
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes(""clinic-salt-2019"");

    byte[] Cbc(Aes aes, byte[] data, Stream output)
    {
        aes.IV = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var first = aes.EncryptCbc(data, iv);
        return aes.EncryptCbc(first, iv);
    }

    void Gcm(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(RandomNumberGenerator.GetBytes(12), plaintext, ciphertext, tag);
    }

    byte[] Derive(string password) =>
        Rfc2898DeriveBytes.Pbkdf2(password, RandomNumberGenerator.GetBytes(16), 600_000, HashAlgorithmName.SHA256, 32);
}");

        [Fact]
        public Task Adds_the_using_when_missing() => VerifyFix.VerifyFixAsync(@"
class Sealer
{
    void Seal(System.Security.Cryptography.AesGcm gcm, byte[] plaintext, byte[] ciphertext, byte[] tag) =>
        gcm.Encrypt({|HIPAA106:new byte[12]|}, plaintext, ciphertext, tag);
}", @"
using System.Security.Cryptography;

class Sealer
{
    void Seal(System.Security.Cryptography.AesGcm gcm, byte[] plaintext, byte[] ciphertext, byte[] tag) =>
        gcm.Encrypt(RandomNumberGenerator.GetBytes(12), plaintext, ciphertext, tag);
}");
    }
}
