using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA104InsufficientKeySizeAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA104InsufficientKeySizeTests
{
    /// <summary>A key size that reaches the use through the value flow, in each shape of the NIST Juliet flow variants.</summary>
    public class ValueFlowShapes
    {
        private static readonly FlowCase Case = new(
            "using System.Security.Cryptography;",
            "int",
            "1024",
            "int.Parse(Console.ReadLine()!)",
            "_configuration.GetValue<int>(\"Crypto:RsaBits\")",
            "new RSACryptoServiceProvider({|HIPAA104:{0}|})");

        public static TheoryData<string> Reported => FlowShapes.Reported;

        public static TheoryData<string> Quiet => FlowShapes.Quiet;

        [Theory]
        [MemberData(nameof(Reported))]
        public Task Reports_the_value_through(string shape) => Verify.VerifyAsync(FlowShapes.Source(shape, Case));

        [Theory]
        [MemberData(nameof(Quiet))]
        public Task Leaves_alone_a_value_from(string shape) => Verify.VerifyAsync(FlowShapes.Source(shape, Case));
    }
}
