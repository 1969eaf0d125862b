using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA202HardCodedCredentialAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA202HardCodedCredentialTests
{
    /// <summary>
    /// A password or connection string that reaches the credential through the code's own flow, in the shapes of the
    /// NIST Juliet CWE 259 cases: reported at the argument that hands it over.
    /// </summary>
    public class Flow
    {
        private const string Sinks = @"
namespace Data
{
    public sealed class SqlConnection
    {
        public SqlConnection(string connectionString) { }
    }
}
";

        [Fact]
        public Task Reports_a_password_assigned_apart_from_its_declaration_in_branches_loops_and_try() => Verify.VerifyAsync(@"
using System;
using System.Net;

class Relay
{
    public NetworkCredential Assigned()
    {
        string data;
        data = ""7e5tc4s3"";
        return new NetworkCredential(""user"", {|HIPAA202:data|}, ""domain"");
    }

    public NetworkCredential InBranches(bool flag)
    {
        string data = null;
        if (flag)
        {
            data = ""7e5tc4s3"";
        }
        else
        {
            data = null;
        }

        return new NetworkCredential(""user"", {|HIPAA202:data|});
    }

    public NetworkCredential InLoopAndTry()
    {
        string data = """";
        for (int i = 0; i < 1; i++)
        {
            try
            {
                data = ""7e5tc4s3"";
            }
            catch (InvalidOperationException)
            {
            }
        }

        return new NetworkCredential(""user"", {|HIPAA202:data|});
    }
}");

        /// <summary>The connection type is a library's, as in real code: the flow is judged where the value is handed to it.</summary>
        private static async Task<Microsoft.CodeAnalysis.MetadataReference[]> LibraryAsync() =>
            new[] { await HipaaAnalyzers.Tests.Verifiers.TestReferences.AssemblyNamedAsync("Data.SqlClient", Sinks) };

        [Fact]
        public async Task Reports_a_password_through_methods_classes_fields_arrays_and_collections() => await Verify.VerifyInProjectAsync(@"
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Data;

class Source
{
    public static string Password() => ""7e5tc4s3"";
}

class Sinks
{
    private static string _stored;

    public static void Connect(string data)
    {
        var connection = new SqlConnection({|HIPAA202:@""Data Source=(local);User ID=sa;Password="" + data|});
    }

    public void Store()
    {
        _stored = ""7e5tc4s3"";
    }

    public NetworkCredential FromField() => new NetworkCredential(""user"", {|HIPAA202:_stored|});

    public NetworkCredential FromReturn() => new NetworkCredential(""user"", {|HIPAA202:Source.Password()|});

    public static NetworkCredential FromArray(string[] items) => new NetworkCredential(""user"", {|HIPAA202:items[2]|});

    public static NetworkCredential FromList(List<string> items) => new NetworkCredential(""user"", {|HIPAA202:items.Last()|});
}

class Caller
{
    public void Run()
    {
        string data = ""7e5tc4s3"";
        Sinks.Connect(data);
        var items = new string[5];
        items[2] = data;
        Sinks.FromArray(items);
        var list = new List<string>();
        list.Add(data);
        Sinks.FromList(list);
    }
}", null, await LibraryAsync());

        [Fact]
        public async Task Leaves_alone_passwords_from_configuration_input_parameters_and_empty_defaults() => await Verify.VerifyInProjectAsync(@"
using System;
using System.Net;
using Data;
using Microsoft.Extensions.Configuration;

class Relay
{
    private readonly IConfiguration _configuration;

    public Relay(IConfiguration configuration) => _configuration = configuration;

    public NetworkCredential FromInput()
    {
        string data = """";
        data = Console.ReadLine();
        return new NetworkCredential(""user"", data);
    }

    public NetworkCredential FromConfiguration()
    {
        var data = _configuration[""Relay:Password""];
        return new NetworkCredential(""user"", data);
    }

    public static void Connect(string data) => new SqlConnection(@""Data Source=(local);User ID=sa;Password="" + data);

    public void Run() => Connect(_configuration[""Db:Password""]);

    public static NetworkCredential Login(string password) => new NetworkCredential(""user"", password);

    public static NetworkCredential Forward(string password) => Login(password);

    public void Signs() => Forward(_configuration[""Relay:Password""]);
}", null, await LibraryAsync());
    }
}
