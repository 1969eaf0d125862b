using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA102DisallowedCipherAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA102DisallowedCipherFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA102DisallowedCipherTests
{
    /// <summary>The code fix: an encryption helper rewritten to the runtime's FieldEncryptor.</summary>
    public class Fixes
    {
        private const string Helper = """
            using System;
            using System.IO;
            using System.Security.Cryptography;
            using System.Text;

            public class LegacyCrypto
            {
                private readonly byte[] _key = new byte[24];
                private readonly byte[] _iv = new byte[8];

                public string Encrypt(string plainText)
                {
                    using var tdes = {|HIPAA102:TripleDES.Create()|};
                    using var encryptor = tdes.CreateEncryptor(_key, _iv);
                    var bytes = Encoding.UTF8.GetBytes(plainText);
                    return Convert.ToBase64String(encryptor.TransformFinalBlock(bytes, 0, bytes.Length));
                }

                public string Decrypt(string cipherText)
                {
                    using var tdes = {|HIPAA102:TripleDES.Create()|};
                    using var decryptor = tdes.CreateDecryptor(_key, _iv);
                    var bytes = Convert.FromBase64String(cipherText);
                    return Encoding.UTF8.GetString(decryptor.TransformFinalBlock(bytes, 0, bytes.Length));
                }
            }
            """;

        private const string FixedHelper = """
            using System;
            using System.IO;
            using System.Security.Cryptography;
            using System.Text;
            using HipaaAnalyzers.Runtime;

            public class LegacyCrypto
            {
                private readonly FieldEncryptor _fieldEncryptor;

                public LegacyCrypto(FieldEncryptor fieldEncryptor)
                {
                    _fieldEncryptor = fieldEncryptor;
                }

                private readonly byte[] _key = new byte[24];
                private readonly byte[] _iv = new byte[8];

                public string Encrypt(string plainText)
                {
                    return _fieldEncryptor.EncryptString(plainText, EncryptionContext.None);
                }

                public string Decrypt(string cipherText)
                {
                    return _fieldEncryptor.DecryptString(cipherText, EncryptionContext.None);
                }
            }
            """;

        [Fact]
        public async Task Offers_field_encryption_for_a_helper()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(Helper.Replace("{|HIPAA102:", "").Replace("|}", ""));
            Assert.Equal(new (string, string?)[]
            {
                ("Use the runtime's field encryption (AES-256-GCM)", "HIPAA102.UseFieldEncryption"),
                ("Use the runtime's field encryption (AES-256-GCM)", "HIPAA102.UseFieldEncryption"),
            }, offered);
        }

        [Fact]
        public Task Rewrites_encrypt_and_decrypt_helpers_and_injects_the_encryptor_once() =>
            VerifyFix.VerifyFixAsync(Helper, FixedHelper, "HIPAA102.UseFieldEncryption");

        [Fact]
        public Task Uses_an_encryptor_the_class_already_has_and_keeps_byte_helpers_as_bytes() => VerifyFix.VerifyFixAsync("""
            using System.Security.Cryptography;
            using HipaaAnalyzers.Runtime;

            public class ScanStore(FieldEncryptor encryptor)
            {
                public byte[] Protect(byte[] image)
                {
                    using var des = {|HIPAA102:DES.Create()|};
                    using var t = des.CreateEncryptor();
                    return t.TransformFinalBlock(image, 0, image.Length);
                }
            }
            """, """
            using System.Security.Cryptography;
            using HipaaAnalyzers.Runtime;

            public class ScanStore(FieldEncryptor encryptor)
            {
                public byte[] Protect(byte[] image)
                {
                    return encryptor.Encrypt(image, EncryptionContext.None);
                }
            }
            """);

        [Fact]
        public Task Adds_the_parameter_to_the_existing_constructor() => VerifyFix.VerifyFixAsync("""
            using System.Security.Cryptography;
            using System.Text;

            public class Vault
            {
                private readonly string _name;

                public Vault(string name = "default")
                {
                    _name = name;
                }

                public byte[] Decrypt(byte[] data, byte[] key)
                {
                    using var rc2 = {|HIPAA102:RC2.Create()|};
                    return rc2.DecryptCbc(data, key);
                }
            }
            """, """
            using System.Security.Cryptography;
            using System.Text;
            using HipaaAnalyzers.Runtime;

            public class Vault
            {
                private readonly FieldEncryptor _fieldEncryptor;
                private readonly string _name;

                public Vault(FieldEncryptor fieldEncryptor, string name = "default")
                {
                    _fieldEncryptor = fieldEncryptor;
                    _name = name;
                }

                public byte[] Decrypt(byte[] data, byte[] key)
                {
                    return _fieldEncryptor.Decrypt(data, EncryptionContext.None);
                }
            }
            """);

        [Fact]
        public Task Offers_no_fix_where_the_rewrite_would_break_callers_or_is_not_a_helper() => VerifyFix.VerifyNoFixAsync("""
            using System.Security.Cryptography;
            using System.Text;

            public class Created
            {
                public byte[] Encrypt(byte[] data) { using var des = {|HIPAA102:DES.Create()|}; return des.EncryptEcb(data, PaddingMode.PKCS7); }
                public static Created Make() => new Created();
            }

            public static class StaticHelper
            {
                public static string Encrypt(string text) { using var des = {|HIPAA102:DES.Create()|}; return text; }
            }

            public class NotAHelper
            {
                public int Run(string text) { using var des = {|HIPAA102:DES.Create()|}; return text.Length; }
                public SymmetricAlgorithm Field = {|HIPAA102:TripleDES.Create()|};
            }
            """);

        [Fact]
        public Task Offers_no_fix_without_the_runtime() => VerifyFix.VerifyNoFixAsync("""
            using System.Security.Cryptography;
            public class C
            {
                public byte[] Encrypt(byte[] data) { using var des = {|HIPAA102:DES.Create()|}; return des.EncryptEcb(data, PaddingMode.PKCS7); }
            }
            """, referenceRuntime: false);
    }
}
