using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA103InsecureCipherModeOrPaddingAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA103InsecureCipherModeOrPaddingTests
{
    [Fact]
    public Task Reports_ecb_by_property_initializer_and_one_shot() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Ecb
        {
            byte[] Run(byte[] data, byte[] key)
            {
                using var aes = Aes.Create();
                {|HIPAA103:aes.Mode = CipherMode.ECB|};
                using var other = new AesManaged { {|HIPAA103:Mode = CipherMode.ECB|}, Padding = PaddingMode.PKCS7 };
                var a = {|HIPAA103:aes.EncryptEcb(data, PaddingMode.PKCS7)|};
                return {|HIPAA103:aes.DecryptEcb(a, PaddingMode.PKCS7)|};
            }
        }
        """);

    [Fact]
    public Task Leaves_modes_without_authentication_to_HIPAA110() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Cbc
        {
            byte[] Explicit(byte[] data, byte[] iv)
            {
                using var aes = Aes.Create();
                aes.Mode = CipherMode.CBC;
                using var t = aes.CreateEncryptor();
                var c = aes.EncryptCbc(data, iv);
                return aes.EncryptCfb(c, iv);
            }
        }
        """);

    [Fact]
    public Task Reports_rsa_pkcs1_encryption_padding() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Rsa
        {
            byte[] Run(RSA rsa, RSACryptoServiceProvider csp, byte[] data)
            {
                var a = rsa.Encrypt(data, {|HIPAA103:RSAEncryptionPadding.Pkcs1|});
                var b = rsa.Decrypt(a, {|HIPAA103:RSAEncryptionPadding.Pkcs1|});
                var c = csp.Encrypt(data, {|HIPAA103:false|});
                var padding = {|HIPAA103:RSAEncryptionPadding.Pkcs1|};
                var f = {|HIPAA103:new RSAPKCS1KeyExchangeFormatter(rsa)|};
                return c;
            }
        }
        """);

    [Fact]
    public Task Does_not_report_gcm_encrypt_then_mac_oaep_or_modes_set_elsewhere() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Safe
        {
            private readonly Aes _aes = Aes.Create();

            byte[] Gcm(byte[] key, byte[] nonce, byte[] data)
            {
                using var gcm = new AesGcm(key, 16);
                var c = new byte[data.Length];
                var tag = new byte[16];
                gcm.Encrypt(nonce, data, c, tag);
                return c;
            }

            byte[] EncryptThenMac(byte[] data, byte[] iv, byte[] macKey)
            {
                using var aes = Aes.Create();
                aes.Mode = CipherMode.CBC;
                var c = aes.EncryptCbc(data, iv);
                var mac = HMACSHA256.HashData(macKey, c);
                return c;
            }

            byte[] DecryptAfterMac(byte[] c, byte[] iv, byte[] macKey)
            {
                using var hmac = new HMACSHA256(macKey);
                hmac.ComputeHash(c);
                using var aes = Aes.Create();
                using var t = aes.CreateDecryptor();
                return t.TransformFinalBlock(c, 0, c.Length);
            }

            byte[] Field(byte[] data) => _aes.CreateEncryptor().TransformFinalBlock(data, 0, data.Length);

            byte[] Oaep(RSA rsa, RSACryptoServiceProvider csp, byte[] data, RSAEncryptionPadding p)
            {
                var a = rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA256);
                var b = csp.Encrypt(data, true);
                bool legacy = p == RSAEncryptionPadding.Pkcs1;
                return a;
            }

            void Padding(Aes aes) => aes.Padding = PaddingMode.PKCS7;
        }
        """);

    [Fact]
    public Task Message_says_what_and_why() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class C
        {
            void M(Aes aes) => {|#0:aes.Mode = CipherMode.ECB|};
        }
        """, Verify.Diagnostic("HIPAA103").WithLocation(0).WithArguments("CipherMode.ECB", "ECB",
        "identical plaintext blocks encrypt to identical ciphertext blocks, so patterns in the data show"));
}
