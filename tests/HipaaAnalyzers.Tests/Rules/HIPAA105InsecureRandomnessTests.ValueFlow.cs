using System.Collections.Generic;
using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA105InsecureRandomnessAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA105InsecureRandomnessTests
{
    /// <summary>
    /// A System.Random value that goes, under a name that says nothing ('data'), through each shape of the NIST Juliet
    /// flow variants until it becomes an HMAC key; and random or outside values that never become one.
    /// </summary>
    public class ValueFlowShapes
    {
        private const string Key = "new HMACSHA256(Encoding.UTF8.GetBytes(data))";

        private static readonly Dictionary<string, string> ReportedShapes = new()
        {
            ["assignment after declaration"] = @"
    public HMAC Run()
    {
        string data;
        data = {|HIPAA105:Rng.Next()|}.ToString();
        return KEY;
    }",
            ["branch"] = @"
    public HMAC Run()
    {
        string data;
        if (DateTime.Now.Second > 1)
        {
            data = {|HIPAA105:Rng.Next()|}.ToString();
        }
        else
        {
            data = Console.ReadLine()!;
        }

        return KEY;
    }",
            ["loop"] = @"
    public HMAC Run()
    {
        var bytes = new byte[32];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte){|HIPAA105:Rng.Next(256)|};
        }

        return new HMACSHA256(bytes);
    }",
            ["try"] = @"
    public HMAC Run()
    {
        string data;
        try
        {
            data = {|HIPAA105:Rng.Next()|}.ToString();
        }
        catch (InvalidOperationException)
        {
            data = Console.ReadLine()!;
        }

        return KEY;
    }",
            ["other method"] = @"
    public HMAC Run() => Sink({|HIPAA105:Rng.Next()|}.ToString());

    private static HMAC Sink(string data) => KEY;",
            ["other class"] = @"
    public HMAC Run() => new Other().Sink({|HIPAA105:Rng.Next()|}.ToString());
}

class Other
{
    public HMAC Sink(string data) => KEY;",
            ["other method and back"] = @"
    public HMAC Run()
    {
        var data = Decorate({|HIPAA105:Rng.Next()|});
        return KEY;
    }

    private static string Decorate(int value) => ""v1."" + value;",
            ["return"] = @"
    private static string Source()
    {
        string data = Rng.Next().ToString();
        return data;
    }

    public HMAC Run() => new HMACSHA256({|HIPAA105:Encoding.UTF8.GetBytes(Source())|});",
            ["field"] = @"
    private string _data = """";

    public void Remember() => _data = {|HIPAA105:Rng.Next()|}.ToString();

    public HMAC Run() => new HMACSHA256(Encoding.UTF8.GetBytes(_data));",
            ["static field"] = @"
    private static byte[] s_data = new byte[32];

    public static void Remember() => {|HIPAA105:Rng.NextBytes(s_data)|};

    public HMAC Run() => new HMACSHA256(s_data);",
            ["array element"] = @"
    public HMAC Run()
    {
        string[] items = new string[3];
        items[0] = Console.ReadLine()!;
        items[2] = {|HIPAA105:Rng.Next()|}.ToString();
        var data = items[2];
        return KEY;
    }",
        };

        private static readonly Dictionary<string, string> QuietShapes = new()
        {
            ["RandomNumberGenerator"] = @"
    public HMAC Run()
    {
        var data = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var bytes = new byte[32];
        RandomNumberGenerator.Fill(bytes);
        Aes.Create().Key = bytes;
        return KEY;
    }",
            ["a shuffle, a jitter and a pick"] = @"
    private readonly string[] _servers = { ""a"", ""b"", ""c"" };
    private int _delay;

    public HMAC Run()
    {
        var order = _servers.OrderBy(_ => Rng.Next()).ToArray();
        Thread.Sleep(Rng.Next(100, 500));
        _delay = Rng.Next(1000);
        Wait(Rng.Next(50));
        var data = _servers[Rng.Next(_servers.Length)];
        return new HMACSHA256(Encoding.UTF8.GetBytes(_configuration[""Hmac:Key""]!));
    }

    private static void Wait(int milliseconds) => Thread.Sleep(milliseconds);

    public void Pause() => Thread.Sleep(_delay);",
            ["configuration"] = @"
    public HMAC Run()
    {
        string data = _configuration[""Hmac:Key""]!;
        Thread.Sleep(Rng.Next(100));
        return KEY;
    }",
            ["a parameter"] = @"
    public HMAC Run(string data) => KEY;

    public HMAC Caller() => Run(_configuration[""Hmac:Key""]!);",
        };

        public static TheoryData<string> Reported => Names(ReportedShapes);

        public static TheoryData<string> Quiet => Names(QuietShapes);

        [Theory]
        [MemberData(nameof(Reported))]
        public Task Reports_the_random_value_through(string shape) => Verify.VerifyAsync(Source(ReportedShapes[shape]));

        [Theory]
        [MemberData(nameof(Quiet))]
        public Task Leaves_alone(string shape) => Verify.VerifyAsync(Source(QuietShapes[shape]));

        private static string Source(string body) => @"using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.Extensions.Configuration;

class Shapes
{
    private static readonly Random Rng = new Random();
    private readonly IConfiguration _configuration;

    public Shapes(IConfiguration configuration) => _configuration = configuration;
" + body.Replace("KEY", Key) + @"
}
";

        private static TheoryData<string> Names(Dictionary<string, string> shapes)
        {
            var data = new TheoryData<string>();
            foreach (var name in shapes.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }
}
