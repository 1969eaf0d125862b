using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA102DisallowedCipherAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA102DisallowedCipherTests
{
    /// <summary>A cipher name that reaches the use through the value flow, in each shape of the NIST Juliet flow variants.</summary>
    public class ValueFlowShapes
    {
        private static readonly FlowCase Case = new(
            "using System.Security.Cryptography;",
            "string",
            "\"TripleDES\"",
            "Console.ReadLine()!",
            "_configuration[\"Crypto:Cipher\"]!",
            "{|HIPAA102:CryptoConfig.CreateFromName({0})|}");

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
