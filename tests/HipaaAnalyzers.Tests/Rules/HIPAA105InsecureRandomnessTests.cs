using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA105InsecureRandomnessAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA105InsecureRandomnessTests
{
    [Fact]
    public Task Reports_random_bytes_that_become_keys_ivs_nonces_and_salts() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
class Crypto
{
    private static readonly Random Rng = new Random();

    byte[] Encrypt(byte[] data)
    {
        using var aes = Aes.Create();
        var keyMaterial = new byte[32];
        {|HIPAA105:Rng.NextBytes(keyMaterial)|};
        aes.Key = keyMaterial;
        var buffer = new byte[16];
        {|HIPAA105:Random.Shared.NextBytes(buffer)|};
        aes.IV = buffer;
        return aes.EncryptCbc(data, aes.IV);
    }

    void Seal(byte[] key, byte[] plaintext, byte[] ciphertext, byte[] tag)
    {
        var n = new byte[12];
        {|HIPAA105:new Random().NextBytes(n)|};
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(n, plaintext, ciphertext, tag);
    }

    byte[] Derive(string pwd)
    {
        var s = new byte[16];
        {|HIPAA105:Rng.NextBytes(s)|};
        return Rfc2898DeriveBytes.Pbkdf2(pwd, s, 600_000, HashAlgorithmName.SHA256, 32);
    }

    byte[] Mac(byte[] message)
    {
        var k = new byte[64];
        {|HIPAA105:Rng.NextBytes(k)|};
        using var hmac = new HMACSHA256(k);
        return hmac.ComputeHash(message);
    }
}");

    [Fact]
    public Task Reports_random_text_that_becomes_a_token_password_or_code() => Verify.VerifyAsync(@"
using System;
using System.Linq;
using System.Text;
class Accounts
{
    private const string Alphabet = ""ABCDEFGHJKLMNPQRSTUVWXYZ23456789"";
    private readonly Random _random = new Random();

    public string GenerateToken()
    {
        var chars = new char[32];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = Alphabet[{|HIPAA105:_random.Next(Alphabet.Length)|}];
        return new string(chars);
    }

    public string CreateTemporaryPassword()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 12; i++)
            sb.Append(Alphabet[{|HIPAA105:_random.Next(0, Alphabet.Length)|}]);
        return sb.ToString();
    }

    public string NewApiKey() =>
        string.Concat(Enumerable.Range(0, 40).Select(_ => Alphabet[{|HIPAA105:Random.Shared.Next(Alphabet.Length)|}]));

    public void SendReset(Mailer mailer)
    {
        var resetCode = {|HIPAA105:_random.Next(100000, 999999)|}.ToString();
        mailer.Send(resetCode);
        int otp = {|HIPAA105:Random.Shared.Next(1_000_000)|};
        mailer.Send(otp.ToString(""D6""));
        mailer.SendPin({|HIPAA105:_random.Next(1000, 9999)|});
        var session = new Session { SessionId = {|HIPAA105:_random.NextInt64()|}.ToString(""x"") };
        mailer.Send(session.SessionId);
    }

    public void SendVerificationCode(Mailer mailer)
    {
        var code = {|HIPAA105:new Random().Next(100000, 999999)|}.ToString(""D6"");
        mailer.Send($""Your code is {code}"");
    }

    public void SendWelcome(Mailer mailer)
    {
        var code = new Random().Next(1, 4);
        mailer.Send($""Welcome variant {code}"");
    }
}
class Mailer
{
    public void Send(string text) { }
    public void SendPin(int pin) { }
}
class Session { public string SessionId { get; set; } = """"; }");

    [Fact]
    public Task Reports_random_values_returned_by_helpers_of_the_same_project() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
class Keys
{
    private readonly Random _rng = new Random();

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _rng.NextBytes(bytes);
        return bytes;
    }

    public byte[] Encrypt(byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = {|HIPAA105:RandomBytes(32)|};
        var salt = {|HIPAA105:RandomBytes(16)|};
        var block = RandomBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2(""pw"", salt, 600_000, HashAlgorithmName.SHA256, 32);
        return aes.EncryptCbc(data, {|HIPAA105:block|});
    }
}");

    [Fact]
    public Task Leaves_alone_shuffles_jitter_sampling_and_picks() => Verify.VerifyAsync(@"
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
class Operations
{
    private static readonly Random Rng = new Random();
    private readonly string[] _servers = { ""a"", ""b"", ""c"" };
    private readonly string[] _colours = { ""red"", ""green"" };

    public List<int> Shuffle(List<int> items) => items.OrderBy(_ => Rng.Next()).ToList();

    public void FisherYates(int[] deck)
    {
        for (int i = deck.Length - 1; i > 0; i--)
        {
            int j = Rng.Next(i + 1);
            (deck[i], deck[j]) = (deck[j], deck[i]);
        }
    }

    public async Task RetryAsync(Func<Task> action)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try { await action(); return; }
            catch (TimeoutException)
            {
                var jitter = Rng.Next(0, 250);
                var delay = TimeSpan.FromMilliseconds(Math.Pow(2, attempt) * 100 + jitter);
                await Task.Delay(delay);
            }
        }
    }

    public bool ShouldSample() => Rng.NextDouble() < 0.1;

    public string PickServer() => _servers[Rng.Next(_servers.Length)];

    public string PickColour() => _colours[Random.Shared.Next(_colours.Length)];

    public string TipOfTheDay(string[] tips) => tips[Rng.Next(tips.Length)];

    public double[] Simulate(int steps)
    {
        var rng = new Random(42);
        var path = new double[steps];
        for (int i = 1; i < steps; i++) path[i] = path[i - 1] + rng.NextDouble() - 0.5;
        return path;
    }

    public int Roll() => Rng.Next(1, 7);

    public Dictionary<int, string> Buckets()
    {
        var cacheKey = Rng.Next(100);
        var key = Rng.Next(10);
        return new Dictionary<int, string> { [key] = ""x"", [cacheKey] = ""y"" };
    }
}");

    [Fact]
    public Task Leaves_alone_test_data_and_names_that_only_contain_security_words() => Verify.VerifyAsync(@"
using System;
class FakeUserFactory
{
    private readonly Random _rng = new Random(7);
    public User Create() => new User { Name = ""user"" + _rng.Next(1000), Password = ""P@ss"" + _rng.Next(1000) };
}
class Ui
{
    private readonly Random _rng = new Random();
    public string PasswordLabel { get; set; } = """";
    public string PasswordPrompt { get; set; } = """";
    public int TokenCount { get; set; }
    public string Tokenizer { get; set; } = """";
    public string Keyboard { get; set; } = """";
    public string Monkey { get; set; } = """";
    public void Decorate()
    {
        PasswordLabel = ""Label "" + _rng.Next(3);
        PasswordPrompt = ""Prompt "" + _rng.Next(3);
        TokenCount = _rng.Next(10);
        Tokenizer = ""t"" + _rng.Next(3);
        Keyboard = ""k"" + _rng.Next(3);
        Monkey = ""m"" + _rng.Next(3);
        var passwordHint = ""hint "" + _rng.Next(5);
        Console.WriteLine(passwordHint);
    }
}
class User
{
    public string Name { get; set; } = """";
    public string Password { get; set; } = """";
}");

    [Fact]
    public Task Leaves_alone_cryptographic_randomness() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class Good
{
    public string GenerateToken() => System.Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    public int ResetCode() => RandomNumberGenerator.GetInt32(100000, 1000000);
    public byte[] Salt()
    {
        var salt = new byte[16];
        RandomNumberGenerator.Fill(salt);
        return salt;
    }
}");

    [Fact]
    public Task Leaves_alone_lookup_keys_and_ids() => Verify.VerifyAsync(@"
using System;
using System.Collections.Generic;
class Cache
{
    private readonly Random _rng = new Random();
    private readonly Dictionary<string, int> _entries = new();
    public void Set(string key, int value) => _entries[key] = value;

    public void Warm()
    {
        var key = ""shard-"" + _rng.Next(16);
        Set(key, 1);
        Set(""bucket-"" + _rng.Next(8), 2);
        var partitionKey = _rng.Next(4).ToString();
        var requestId = _rng.Next();
        var correlationId = Guid.NewGuid().ToString() + _rng.Next();
        Console.WriteLine(partitionKey + requestId + correlationId);
    }
}");

    [Fact]
    public Task Reports_random_text_through_linq_items_and_copies() => Verify.VerifyAsync(@"
using System;
using System.Linq;
class Invites
{
    private static readonly char[] Chars = ""abcdefghjkmnpqrstuvwxyz23456789"".ToCharArray();
    private readonly Random _rng = new Random();

    public void Issue(Store store)
    {
        var inviteCode = new string(Enumerable.Range(0, 8).Select(_ => Chars[{|HIPAA105:_rng.Next(Chars.Length)|}]).ToArray());
        store.Save(inviteCode);
        var picked = {|HIPAA105:_rng.GetItems(Chars, 12)|};
        store.SavePassword(new string(picked));
        var raw = new byte[16];
        {|HIPAA105:_rng.NextBytes(raw)|};
        var nonce = new byte[16];
        Array.Copy(raw, nonce, 16);
        store.Save(Convert.ToBase64String(nonce));
    }
}
class Store
{
    public void Save(string value) { }
    public void SavePassword(string password) { }
}");

    [Fact]
    public Task Follows_helpers_that_call_each_other_without_looping() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
class Helpers
{
    private static readonly Random Rng = new Random();

    private static byte[] Bytes(int n) => n > 64 ? Bytes(n / 2) : More(n);
    private static byte[] More(int n) => n == 0 ? Bytes(1) : Fill(new byte[n]);
    private static byte[] Fill(byte[] buffer) { Rng.NextBytes(buffer); return buffer; }

    public void Use(Aes aes)
    {
        aes.Key = {|HIPAA105:Bytes(32)|};
        aes.IV = {|HIPAA105:More(16)|};
    }
}");

    [Fact]
    public Task Message_names_the_call_and_the_security_value() => Verify.VerifyAsync(@"
class Codes
{
    private readonly System.Random _random = new System.Random();
    public string ResetCode() => {|#0:_random.Next(100000, 999999)|}.ToString();
}", Verify.Diagnostic("HIPAA105").WithLocation(0).WithArguments("_random.Next(100000, 999999)", "the result of 'ResetCode' (a reset code)"));
}
