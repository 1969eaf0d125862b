using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA201HardCodedKeyTests
{
    /// <summary>The shape of Microsoft.IdentityModel.Tokens, which the test references do not include.</summary>
    private const string IdentityModel = @"
namespace Microsoft.IdentityModel.Tokens
{
    public class SymmetricSecurityKey
    {
        public SymmetricSecurityKey(byte[] key) { }
    }
}
";

    [Fact]
    public Task Reports_literals_constants_readonly_fields_and_locals_reaching_keys_and_ivs() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

class Crypto
{
    private const string JwtSecret = ""clinic-jwt-signing-secret-0123456789abcdef"";
    private static readonly byte[] AesKey = Convert.FromBase64String(""q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="");
    private static readonly byte[] Iv = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    private readonly byte[] _hmacKey = Encoding.UTF8.GetBytes(""hmac-"" + ""secret"");
    private static byte[] PepperBytes => ""pepper-0123456789""u8.ToArray();
    private static readonly byte[] Collection = [1, 2, 3, 4];

    public void Run(byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = {|HIPAA201:AesKey|};
        aes.IV = {|HIPAA201:Iv|};
        using var gcm = new AesGcm({|HIPAA201:Encoding.UTF8.GetBytes(""0123456789abcdef0123456789abcdef"")|}, 16);
        using var ccm = new AesCcm({|HIPAA201:Convert.FromHexString(""00112233445566778899aabbccddeeff"")|});
        using var chacha = new ChaCha20Poly1305({|HIPAA201:new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }|});
        using var hmac = new HMACSHA256({|HIPAA201:Encoding.ASCII.GetBytes(JwtSecret)|});
        using var hmac512 = new HMACSHA512({|HIPAA201:_hmacKey|});
        using var keyed = new HMACSHA384 { Key = {|HIPAA201:PepperBytes|} };
        var mac = HMACSHA256.HashData({|HIPAA201:""k3y-material""u8|}, data);
        var incremental = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, {|HIPAA201:Encoding.UTF8.GetBytes(""pepper"")|});
        var key = new byte[] { 0x01, 0x02, 0x03, 0x04 };
        var encryptor = aes.CreateEncryptor({|HIPAA201:key|}, {|HIPAA201:Iv|});
        var signing = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes(JwtSecret)|});
        var fallback = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(""JWT_KEY"") ?? ""dev-signing-key-0123456789abcdef"")|});
        using var rsa = RSA.Create();
        rsa.ImportFromPem({|HIPAA201:""-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----""|});
        rsa.ImportRSAPrivateKey({|HIPAA201:Convert.FromBase64String(""MIIEowIBAAKCAQEA"")|}, out _);
        aes.Key = {|HIPAA201:new byte[32]|};
        aes.Key = {|HIPAA201:[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]|};
        aes.Key = {|HIPAA201:Collection|};
    }
}" + IdentityModel);

    [Fact]
    public Task Message_names_the_key_the_sink_and_where_the_value_comes_from() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

class Tokens
{
    private const string SigningKey = ""clinic-jwt-signing-secret-0123456789abcdef"";

    public object Key() => new SymmetricSecurityKey({|#0:Encoding.UTF8.GetBytes(SigningKey)|});

    public void Iv(Aes aes) => aes.IV = {|#1:new byte[16] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }|};
}" + IdentityModel,
        Verify.Diagnostic("HIPAA201").WithLocation(0).WithArguments("key", "SymmetricSecurityKey", "the constant 'SigningKey'"),
        Verify.Diagnostic("HIPAA201").WithLocation(1).WithArguments("IV", "SymmetricAlgorithm.IV", "a byte array literal"));

    [Fact]
    public async Task Follows_constants_and_readonly_fields_declared_in_another_file()
    {
        var test = new CSharpAnalyzerTest<HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
        };
        test.TestState.Sources.Add(("Keys.cs", @"
static class Keys
{
    public const string Pepper = ""clinic-pepper-2024"";
    public static readonly byte[] Aes = System.Convert.FromBase64String(""q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="");
    public static readonly byte[] Hmac = { 1, 2, 3, 4 };
    public static readonly byte[] FromEnvironment = System.Convert.FromBase64String(System.Environment.GetEnvironmentVariable(""KEY"")!);
}"));
        test.TestState.Sources.Add(("Use.cs", @"
using System.Security.Cryptography;
using System.Text;

class Use
{
    void Run(Aes aes)
    {
        aes.Key = {|HIPAA201:Keys.Aes|};
        using var hmac = new HMACSHA256({|HIPAA201:Keys.Hmac|});
        using var pepper = new HMACSHA256({|HIPAA201:Encoding.UTF8.GetBytes(Keys.Pepper)|});
        aes.Key = Keys.FromEnvironment;
    }
}"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Leaves_alone_keys_from_configuration_providers_random_sources_and_parameters() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

public class JwtOptions
{
    public string SigningKey { get; set; } = """";
}

class Quiet
{
    private readonly IConfiguration _configuration;
    private readonly byte[] _injectedKey;
    private static readonly byte[] RandomKey = RandomNumberGenerator.GetBytes(32);

    public Quiet(IConfiguration configuration, byte[] injectedKey)
    {
        _configuration = configuration;
        _injectedKey = injectedKey;
    }

    public void Run(byte[] keyParameter, IOptions<JwtOptions> options, IServiceCollection services, byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = keyParameter;
        aes.Key = _injectedKey;
        aes.Key = RandomKey;
        aes.GenerateIV();
        aes.Key = RandomNumberGenerator.GetBytes(32);
        var buffer = new byte[32];
        RandomNumberGenerator.Fill(buffer);
        aes.Key = buffer;
        aes.Key = Convert.FromBase64String(_configuration[""Keys:Aes""]!);
        aes.Key = Convert.FromBase64String(Environment.GetEnvironmentVariable(""AES_KEY"") ?? throw new InvalidOperationException(""AES_KEY is not set""));
        var jwt = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.SigningKey));
        var jwt2 = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_configuration[""Jwt:SigningKey""] ?? throw new InvalidOperationException()));
        using var hmac = new HMACSHA256(keyParameter);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(""-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----"");
        services.AddDataProtection().SetApplicationName(""clinic-api"");
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(""not a key, just hashed""));
        var label = Encoding.UTF8.GetBytes(""key"");
        using var hmacEmpty = new HMACSHA256(Encoding.UTF8.GetBytes(""""));
    }
}" + IdentityModel);
}
