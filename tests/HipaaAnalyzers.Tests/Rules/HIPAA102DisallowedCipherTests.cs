using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA102DisallowedCipherAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA102DisallowedCipherTests
{
    [Fact]
    public Task Reports_des_triple_des_rc2_and_non_aes_rijndael() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Legacy
        {
            void Run(byte[] key)
            {
                using var a = {|HIPAA102:new DESCryptoServiceProvider()|};
                using var b = {|HIPAA102:TripleDES.Create()|};
                using var c = {|HIPAA102:DES.Create()|};
                using var d = {|HIPAA102:RC2.Create()|};
                using var e = {|HIPAA102:new TripleDESCryptoServiceProvider()|};
                var f = {|HIPAA102:SymmetricAlgorithm.Create("DES")|};
                var g = {|HIPAA102:CryptoConfig.CreateFromName("RC2")|};
                var h = {|HIPAA102:CryptoConfig.CreateFromName("3DES")|};
                using var i = new RijndaelManaged { {|HIPAA102:BlockSize = 256|} };
                using var j = Rijndael.Create();
                {|HIPAA102:j.BlockSize = 192|};
            }
        }
        """);

    [Fact]
    public Task Does_not_report_aes_and_aes_sized_rijndael() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Modern
        {
            void Run(byte[] key)
            {
                using var a = Aes.Create();
                using var b = new AesGcm(key, 16);
                using var c = new RijndaelManaged { BlockSize = 128 };
                var d = SymmetricAlgorithm.Create("AES");
                var e = CryptoConfig.CreateFromName("SHA256");
                a.BlockSize = 128;
                string name = "DES";       // a name that reaches no factory
            }
        }
        """);

    [Fact]
    public Task Reports_a_disallowed_cipher_name_reached_through_fallbacks_arms_and_locals() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Configured
        {
            private const string Legacy = "TripleDES";

            object Run(string configured, bool old, int level)
            {
                var a = {|HIPAA102:CryptoConfig.CreateFromName(configured ?? "TripleDES")|};
                var b = {|HIPAA102:SymmetricAlgorithm.Create(old ? "DES" : "AES")|};
                var name = configured ?? Legacy;
                var c = {|HIPAA102:CryptoConfig.CreateFromName(name)|};
                var d = {|HIPAA102:CryptoConfig.CreateFromName(level switch { 0 => "RC2", _ => "AES" })|};
                return a;
            }
        }
        """);

    [Fact]
    public Task Does_not_report_names_whose_fallbacks_and_arms_are_all_allowed() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Configured
        {
            object Run(string configured, bool gcm)
            {
                var a = CryptoConfig.CreateFromName(configured ?? "AES");
                var b = SymmetricAlgorithm.Create(gcm ? "AES" : "Rijndael");
                var name = configured ?? "AES";
                var c = CryptoConfig.CreateFromName(name);
                var d = CryptoConfig.CreateFromName(configured);
                return a;
            }
        }
        """);

    [Fact]
    public Task Message_names_the_cipher() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class C
        {
            SymmetricAlgorithm M() => {|#0:TripleDES.Create()|};
        }
        """, Verify.Diagnostic("HIPAA102").WithLocation(0).WithArguments("TripleDES.Create", "Triple DES"));
}
