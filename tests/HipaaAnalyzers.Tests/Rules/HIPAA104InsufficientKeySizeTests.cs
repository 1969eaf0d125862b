using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA104InsufficientKeySizeAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA104InsufficientKeySizeTests
{
    [Fact]
    public Task Reports_small_rsa_and_ec_keys_small_curves_and_dsa() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Keys
        {
            void Run()
            {
                using var a = new RSACryptoServiceProvider({|HIPAA104:1024|});
                using var b = RSA.Create({|HIPAA104:1024|});
                using var c = RSA.Create();
                c.KeySize = {|HIPAA104:1536|};
                using var d = new RSACng { KeySize = {|HIPAA104:512|} };
                using var e = ECDsa.Create({|HIPAA104:ECCurve.NamedCurves.brainpoolP192r1|});
                using var f = ECDsa.Create({|HIPAA104:ECCurve.CreateFromFriendlyName("secp160r1")|});
                using var g = ECDiffieHellman.Create({|HIPAA104:ECCurve.CreateFromValue("1.2.840.10045.3.1.1")|});
                using var h = new ECDsaCng({|HIPAA104:192|});
                using var i = {|HIPAA104:DSA.Create()|};
                using var j = {|HIPAA104:DSA.Create(2048)|};
                using var k = {|HIPAA104:new DSACng()|};
            }
        }
        """);

    [Fact]
    public Task Does_not_report_sufficient_keys() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Keys
        {
            void Run(int configured)
            {
                using var a = new RSACryptoServiceProvider(2048);
                using var b = RSA.Create(3072);
                using var c = RSA.Create();
                c.KeySize = 4096;
                c.KeySize = configured;
                using var e = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                using var f = ECDsa.Create(ECCurve.CreateFromFriendlyName("nistP384"));
                using var g = ECDiffieHellman.Create(ECCurve.NamedCurves.brainpoolP256r1);
                using var h = new ECDsaCng(256);
                using var i = ECDsa.Create();
                using var aes = Aes.Create();
                aes.KeySize = 128;   // symmetric key sizes are not this rule's business
            }
        }
        """);

    [Fact]
    public Task Minimums_are_configurable() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Keys
        {
            void Run()
            {
                using var a = RSA.Create({|HIPAA104:2048|});
                using var b = RSA.Create(3072);
                using var c = ECDsa.Create({|HIPAA104:ECCurve.NamedCurves.nistP256|});
                using var d = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            }
        }
        """, "hipaa_analyzers.HIPAA104.min_rsa_key_size = 3072\nhipaa_analyzers.HIPAA104.min_ec_key_size = 384\n");

    [Fact]
    public Task Invalid_minimums_fall_back_to_the_defaults() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Keys
        {
            void Run()
            {
                using var a = RSA.Create({|HIPAA104:1024|});
                using var b = RSA.Create(2048);
            }
        }
        """, "hipaa_analyzers.HIPAA104.min_rsa_key_size = 1024\nhipaa_analyzers.HIPAA104.min_ec_key_size = big\n");

    [Fact]
    public Task Message_gives_the_size_and_the_minimum() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class C
        {
            RSA M() => RSA.Create({|#0:1024|});
        }
        """, Verify.Diagnostic("HIPAA104").WithLocation(0).WithArguments("RSA.Create", "a 1024-bit RSA key", "at least 2048 bits are required"));
}
