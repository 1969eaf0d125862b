using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA104InsufficientKeySizeAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA104InsufficientKeySizeFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA104InsufficientKeySizeTests
{
    /// <summary>The code fix: the minimum key size, nistP256 for small curves.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_the_minimum()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync("""
                using System.Security.Cryptography;
                class C
                {
                    RSA R() => RSA.Create(1024);
                    ECDsa E() => ECDsa.Create(ECCurve.NamedCurves.brainpoolP160r1);
                }
                """);

            Assert.Equal(new (string, string?)[]
            {
                ("Use a 2048-bit key", "HIPAA104.UseMinimum"),
                ("Use ECCurve.NamedCurves.nistP256", "HIPAA104.UseMinimum"),
            }, offered);
        }

        [Fact]
        public Task Replaces_sizes_and_curves() => VerifyFix.VerifyFixAsync("""
            using System.Security.Cryptography;
            class Keys
            {
                void Run()
                {
                    using var a = new RSACryptoServiceProvider({|HIPAA104:1024|});
                    using var b = RSA.Create({|HIPAA104:1024|});
                    b.KeySize = {|HIPAA104:1536|};
                    using var e = ECDsa.Create({|HIPAA104:ECCurve.NamedCurves.brainpoolP192r1|});
                    using var f = ECDsa.Create({|HIPAA104:ECCurve.CreateFromFriendlyName("secp160r1")|});
                    using var h = new ECDsaCng({|HIPAA104:192|});
                }
            }
            """, """
            using System.Security.Cryptography;
            class Keys
            {
                void Run()
                {
                    using var a = new RSACryptoServiceProvider(2048);
                    using var b = RSA.Create(2048);
                    b.KeySize = 2048;
                    using var e = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    using var f = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    using var h = new ECDsaCng(256);
                }
            }
            """, "HIPAA104.UseMinimum");

        [Fact]
        public Task Offers_no_fix_for_dsa_or_named_constants() => VerifyFix.VerifyNoFixAsync("""
            using System.Security.Cryptography;
            class Keys
            {
                const int Bits = 1024;
                DSA D() => {|HIPAA104:DSA.Create()|};
                RSA R() => RSA.Create({|HIPAA104:Bits|});
            }
            """);
    }
}
