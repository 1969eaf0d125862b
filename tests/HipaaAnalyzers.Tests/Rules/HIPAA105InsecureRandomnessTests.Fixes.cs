using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA105InsecureRandomnessAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA105InsecureRandomnessFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA105InsecureRandomnessTests
{
    /// <summary>The code fix: RandomNumberGenerator in place of the System.Random call.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_random_number_generator()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
class Tokens
{
    private readonly System.Random _rng = new System.Random();
    public int ResetCode() => _rng.Next(100000, 1000000);
}");

            Assert.Equal(new (string, string?)[] { ("Use RandomNumberGenerator", "HIPAA105.RandomNumberGenerator") }, offered);
        }

        [Fact]
        public Task Replaces_next_bytes_and_next_and_adds_the_using_once() => VerifyFix.VerifyFixAsync(@"
using System;
class Tokens
{
    private readonly Random _rng = new Random();

    public byte[] CreateSalt()
    {
        var salt = new byte[16];
        {|HIPAA105:_rng.NextBytes(salt)|};
        return salt;
    }

    public int ResetCode() => {|HIPAA105:_rng.Next(100000, 1000000)|};

    public int Pin() => {|HIPAA105:_rng.Next(10000)|};

    public string SessionToken() => {|HIPAA105:Random.Shared.Next()|}.ToString(""x8"");
}", @"
using System;
using System.Security.Cryptography;
class Tokens
{
    private readonly Random _rng = new Random();

    public byte[] CreateSalt()
    {
        var salt = new byte[16];
        RandomNumberGenerator.Fill(salt);
        return salt;
    }

    public int ResetCode() => RandomNumberGenerator.GetInt32(100000, 1000000);

    public int Pin() => RandomNumberGenerator.GetInt32(10000);

    public string SessionToken() => RandomNumberGenerator.GetInt32(int.MaxValue).ToString(""x8"");
}");

        [Fact]
        public Task Keeps_an_existing_using_and_fixes_items_picked_for_a_password() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;
class Passwords
{
    private static readonly char[] Alphabet = ""abcdefghijkmnpqrstuvwxyz23456789"".ToCharArray();
    private static readonly Random Rng = new Random();

    public string NewPassword() => new string({|HIPAA105:Rng.GetItems(Alphabet, 16)|});
}", @"
using System;
using System.Security.Cryptography;
class Passwords
{
    private static readonly char[] Alphabet = ""abcdefghijkmnpqrstuvwxyz23456789"".ToCharArray();
    private static readonly Random Rng = new Random();

    public string NewPassword() => new string(RandomNumberGenerator.GetItems<char>(Alphabet, 16));
}");

        [Fact]
        public Task No_fix_for_next_double_or_values_reported_at_a_helper_call() => VerifyFix.VerifyNoFixAsync(@"
using System;
using System.Security.Cryptography;
class Keys
{
    private readonly Random _rng = new Random();
    public string NewToken() => {|HIPAA105:_rng.NextDouble()|}.ToString();

    private byte[] Bytes(int n) { var b = new byte[n]; _rng.NextBytes(b); return b; }
    public void Use(Aes aes) => aes.Key = {|HIPAA105:Bytes(32)|};
}");
    }
}
