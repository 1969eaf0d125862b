using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA103InsecureCipherModeOrPaddingAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA103InsecureCipherModeOrPaddingFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA103InsecureCipherModeOrPaddingTests
{
    /// <summary>The code fixes: OAEP for RSA, the runtime's field encryption for ECB / CBC helpers.</summary>
    public class Fixes
    {
        [Fact]
        public Task Replaces_pkcs1_with_oaep() => VerifyFix.VerifyFixAsync("""
            using System.Security.Cryptography;
            class Rsa
            {
                byte[] Run(RSA rsa, RSACryptoServiceProvider csp, byte[] data)
                {
                    var a = rsa.Encrypt(data, {|HIPAA103:RSAEncryptionPadding.Pkcs1|});
                    var b = rsa.Decrypt(a, {|HIPAA103:RSAEncryptionPadding.Pkcs1|});
                    var c = csp.Encrypt(data, {|HIPAA103:false|});
                    var d = csp.Decrypt(c, {|HIPAA103:RSAEncryptionPadding.Pkcs1|});
                    return d;
                }
            }
            """, """
            using System.Security.Cryptography;
            class Rsa
            {
                byte[] Run(RSA rsa, RSACryptoServiceProvider csp, byte[] data)
                {
                    var a = rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA256);
                    var b = rsa.Decrypt(a, RSAEncryptionPadding.OaepSHA256);
                    var c = csp.Encrypt(data, true);
                    var d = csp.Decrypt(c, RSAEncryptionPadding.OaepSHA1);
                    return d;
                }
            }
            """, "HIPAA103.UseOaep");

        [Fact]
        public Task Rewrites_an_ecb_helper_to_field_encryption() => VerifyFix.VerifyFixAsync("""
            using System;
            using System.Security.Cryptography;
            using System.Text;

            public class SsnProtector
            {
                private readonly byte[] _key = new byte[32];

                public string Encrypt(string ssn)
                {
                    using var aes = Aes.Create();
                    aes.Key = _key;
                    {|HIPAA103:aes.Mode = CipherMode.ECB|};
                    var bytes = Encoding.UTF8.GetBytes(ssn);
                    return Convert.ToBase64String({|HIPAA103:aes.EncryptEcb(bytes, PaddingMode.PKCS7)|});
                }
            }
            """, """
            using System;
            using System.Security.Cryptography;
            using System.Text;
            using HipaaAnalyzers.Runtime;

            public class SsnProtector
            {
                private readonly FieldEncryptor _fieldEncryptor;

                public SsnProtector(FieldEncryptor fieldEncryptor)
                {
                    _fieldEncryptor = fieldEncryptor;
                }

                private readonly byte[] _key = new byte[32];

                public string Encrypt(string ssn)
                {
                    return _fieldEncryptor.EncryptString(ssn, EncryptionContext.None);
                }
            }
            """, "HIPAA103.UseFieldEncryption");

        [Fact]
        public Task Rsa_fix_is_the_only_fix_for_padding() => VerifyFix.VerifyNoFixAsync("""
            using System.Security.Cryptography;
            class C
            {
                AsymmetricKeyExchangeFormatter F(RSA rsa) => {|HIPAA103:new RSAPKCS1KeyExchangeFormatter(rsa)|};
                void M(Aes aes) => {|HIPAA103:aes.Mode = CipherMode.ECB|};
            }
            """);
    }
}
