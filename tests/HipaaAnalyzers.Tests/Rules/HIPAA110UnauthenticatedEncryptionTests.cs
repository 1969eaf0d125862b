using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA110UnauthenticatedEncryptionAnalyzer>;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA110UnauthenticatedEncryptionAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA110UnauthenticatedEncryptionFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public class HIPAA110UnauthenticatedEncryptionTests
{
    [Fact]
    public Task Reports_cbc_cfb_and_the_default_mode_without_a_mac() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Notes
        {
            byte[] Explicit(byte[] data, byte[] iv)
            {
                using var aes = Aes.Create();
                {|HIPAA110:aes.Mode = CipherMode.CBC|};
                using var t = aes.CreateEncryptor();
                return t.TransformFinalBlock(data, 0, data.Length);
            }

            byte[] Default(byte[] data)
            {
                using var aes = Aes.Create();
                using var t = {|HIPAA110:aes.CreateEncryptor()|};
                return t.TransformFinalBlock(data, 0, data.Length);
            }

            byte[] OneShot(byte[] data, byte[] iv)
            {
                using var aes = Aes.Create();
                using var other = new AesManaged { {|HIPAA110:Mode = CipherMode.OFB|} };
                var c = {|HIPAA110:aes.EncryptCbc(data, iv)|};
                return {|HIPAA110:aes.EncryptCfb(c, iv)|};
            }
        }
        """);

    [Fact]
    public Task Leaves_alone_a_type_that_macs_in_another_method_gcm_ecb_and_ciphers_HIPAA102_reports() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Sealed
        {
            public byte[] Seal(byte[] data, byte[] iv)
            {
                using var aes = Aes.Create();
                aes.Mode = CipherMode.CBC;
                return aes.EncryptCbc(data, iv);
            }

            public byte[] Tag(byte[] macKey, byte[] ivAndCiphertext) => HMACSHA256.HashData(macKey, ivAndCiphertext);
        }

        class Others
        {
            byte[] Gcm(byte[] key, byte[] nonce, byte[] data)
            {
                using var gcm = new AesGcm(key, 16);
                var c = new byte[data.Length];
                var tag = new byte[16];
                gcm.Encrypt(nonce, data, c, tag);
                return c;
            }

            byte[] Legacy(byte[] data)
            {
                using var des = DES.Create();
                des.Mode = CipherMode.CBC;
                using var t = des.CreateEncryptor();
                return t.TransformFinalBlock(data, 0, data.Length);
            }

            void Ecb(Aes aes) => aes.Mode = CipherMode.ECB;
        }
        """);

    [Fact]
    public Task Message_says_what_mode_and_why() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class C
        {
            void M(Aes aes) => {|#0:aes.Mode = CipherMode.CBC|};
        }
        """, Verify.Diagnostic("HIPAA110").WithLocation(0).WithArguments("CipherMode.CBC", "CBC"));

    [Fact]
    public Task Rewrites_a_cbc_helper_to_field_encryption() => VerifyFix.VerifyFixAsync("""
        using System;
        using System.Security.Cryptography;
        using System.Text;

        public class NoteProtector
        {
            private readonly byte[] _key = new byte[32];

            public string Encrypt(string note, byte[] iv)
            {
                using var aes = Aes.Create();
                aes.Key = _key;
                var bytes = Encoding.UTF8.GetBytes(note);
                return Convert.ToBase64String({|HIPAA110:aes.EncryptCbc(bytes, iv)|});
            }
        }
        """, """
        using System;
        using System.Security.Cryptography;
        using System.Text;
        using HipaaAnalyzers.Runtime;

        public class NoteProtector
        {
            private readonly FieldEncryptor _fieldEncryptor;

            public NoteProtector(FieldEncryptor fieldEncryptor)
            {
                _fieldEncryptor = fieldEncryptor;
            }

            private readonly byte[] _key = new byte[32];

            public string Encrypt(string note, byte[] iv)
            {
                return _fieldEncryptor.EncryptString(note, EncryptionContext.None);
            }
        }
        """, "HIPAA110.UseFieldEncryption");
}
