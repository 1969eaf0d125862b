using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA201HardCodedKeyTests
{
    /// <summary>A key that reaches the cipher through the code's own flow, in the shapes of the NIST Juliet CWE 321 cases.</summary>
    public class Flow
    {
        [Fact]
        public Task Reports_a_key_through_returns_parameters_static_fields_containers_and_collections() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

struct Container
{
    public string containerOne;
}

class Keys
{
    private bool _flag = true;
    private static string _dataBad;

    private string BadSource()
    {
        string data;
        if (_flag)
        {
            data = ""23 ~j;asn!@#/>as"";
        }
        else
        {
            data = null;
        }

        return data;
    }

    public ICryptoTransform FromReturn(Aes aes) => aes.CreateEncryptor({|HIPAA201:Encoding.UTF8.GetBytes(BadSource())|}, aes.IV);

    public void Remember() => _dataBad = ""23 ~j;asn!@#/>as"";

    public ICryptoTransform FromStaticField(Aes aes) => aes.CreateEncryptor({|HIPAA201:Encoding.UTF8.GetBytes(_dataBad)|}, aes.IV);

    public static ICryptoTransform Sink(Aes aes, string data) => aes.CreateEncryptor({|HIPAA201:Encoding.UTF8.GetBytes(data)|}, aes.IV);

    public static ICryptoTransform FromContainer(Aes aes, Container container) => aes.CreateEncryptor({|HIPAA201:Encoding.UTF8.GetBytes(container.containerOne)|}, aes.IV);

    public static ICryptoTransform FromLinkedList(Aes aes, LinkedList<string> items) => aes.CreateEncryptor({|HIPAA201:Encoding.UTF8.GetBytes(items.Last.Value)|}, aes.IV);
}

class Caller
{
    public void Run(Aes aes)
    {
        Keys.Sink(aes, ""23 ~j;asn!@#/>as"");
        Container container;
        container.containerOne = ""23 ~j;asn!@#/>as"";
        Keys.FromContainer(aes, container);
        var items = new LinkedList<string>();
        items.AddLast(""23 ~j;asn!@#/>as"");
        Keys.FromLinkedList(aes, items);
    }
}");

        [Fact]
        public Task Leaves_alone_keys_from_input_configuration_and_callers_that_pass_them() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

class Keys
{
    public static ICryptoTransform Sink(Aes aes, string data) => aes.CreateEncryptor(Encoding.UTF8.GetBytes(data), aes.IV);

    public void Run(Aes aes, IConfiguration configuration)
    {
        Sink(aes, configuration[""Keys:Aes""]);
        string data = """";
        data = Console.ReadLine();
        Sink(aes, data);
    }
}");

        [Fact]
        public Task Leaves_alone_a_development_key_overwritten_before_the_use() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

class Keys
{
    public ICryptoTransform Encryptor(Aes aes, IConfiguration configuration, bool production)
    {
        string key = ""23 ~j;asn!@#/>as"";
        key = configuration[""Keys:Aes""]!;
        return aes.CreateEncryptor(Encoding.UTF8.GetBytes(key), aes.IV);
    }

    public ICryptoTransform Fallback(Aes aes, IConfiguration configuration, bool production)
    {
        string key = ""23 ~j;asn!@#/>as"";
        if (production)
        {
            key = configuration[""Keys:Aes""]!;
        }

        return aes.CreateEncryptor({|HIPAA201:Encoding.UTF8.GetBytes(key)|}, aes.IV);
    }
}");
    }
}
