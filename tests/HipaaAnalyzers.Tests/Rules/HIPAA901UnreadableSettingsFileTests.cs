using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Configuration;
using Microsoft.CodeAnalysis.Text;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA901UnreadableSettingsFileAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public class HIPAA901UnreadableSettingsFileTests
{
    private static Task RunAsync(string name, string content, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        var test = Verify.Create(SettingsFiles.QuietCode);
        test.TestState.AdditionalFiles.Add(("/0/" + name, content));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task Reports_a_missing_brace_once_naming_the_file() => RunAsync("appsettings.json", """
        {
          "ConnectionStrings": { "Clinic": "Host=db" }
        {|#0:|}
        """,
        Verify.Diagnostic("HIPAA901").WithLocation(0)
            .WithArguments("/0/appsettings.json", "JSON", "the file ends inside an object: a '}' is missing"));

    [Fact]
    public Task Reports_a_missing_comma_where_it_is_missing() => RunAsync("appsettings.Production.json", """
        {
          "Logging": { "LogLevel": { "Default": "Warning" } }
          {|#0:|}"AllowedHosts": "*"
        }
        """,
        Verify.Diagnostic("HIPAA901").WithLocation(0)
            .WithArguments("/0/appsettings.Production.json", "JSON", "a ',' or '}' is expected, not '\"'"));

    [Theory]
    [InlineData("{ 'Logging': 1 }", "a property name in double quotes is expected, not '''")]
    [InlineData("{ \"Jwt\": { \"Key\": \"abc }", "a string is not closed before the end of its line")]
    [InlineData("[ 1, 2 ]", "the top level must be an object ('{')")]
    [InlineData("{ \"a\": tru }", "'tru' is not a JSON value (strings need double quotes)")]
    [InlineData("{ \"a\": 1 } }", "unexpected '}' after the end of the top-level object")]
    [InlineData("{ /* open comment \"a\": 1 }", "a '/*' comment is not closed")]
    [InlineData("{ \"path\": \"C:\\clinic\" }", "'\\c' is not a JSON escape (write '\\\\' for a backslash)")]
    public void Says_what_is_wrong(string content, string problem)
    {
        var result = JsonSettingsReader.Read(SourceText.From(content));
        Assert.Equal(problem, result.Error);
        Assert.Empty(result.Entries);
    }

    [Fact]
    public void Reads_keys_as_the_configuration_provider_names_them()
    {
        var result = JsonSettingsReader.Read(SourceText.From("""
            {
              "A": { "B": [ "x", { "C": 2 } ], "D": null },
              "E": "tab\tand \"quotes\"",
            }
            """));
        Assert.Null(result.Error);
        Assert.Equal(
            new[] { "A:B:0=x", "A:B:1:C=2", "A:D=", "E=tab\tand \"quotes\"" },
            result.Entries.Select(e => e.Key + "=" + e.Value));
        Assert.Equal("B", result.Entries[0].Section);
        Assert.Equal("1", result.Entries[1].Section);
    }

    [Fact]
    public void Never_throws_on_deep_nesting()
    {
        var result = JsonSettingsReader.Read(SourceText.From("{\"a\":" + new string('[', 5000)));
        Assert.Equal("objects and arrays are nested more than 64 levels deep", result.Error);
    }

    [Fact]
    public Task Accepts_comments_trailing_commas_nesting_arrays_escapes_and_an_empty_file() => RunAsync("appsettings.json", """
        // Settings of the clinic.
        {
          /* block comment */
          "Cors": { "Origins": [ "https://clinic.org", "https://portal.clinic.org", ], },
          "Path": "C:\\clinic\\logs\u00e9",
          "Numbers": [ 1, -2.5e3, true, false, null, { "Nested": [ [ ] ] } ],
        }
        """);

    [Fact]
    public Task An_empty_settings_file_is_fine() => RunAsync("appsettings.Staging.json", "  \n");

    [Fact]
    public Task Reports_a_web_config_that_is_not_xml() => RunAsync("web.config", """
        <configuration>
          <appSettings>
        </configuration>
        """,
        Verify.Diagnostic("HIPAA901").WithSpan("/0/web.config", 3, 3, 3, 3)
            .WithMessage("'/0/web.config' cannot be read as XML: The 'appSettings' start tag on line 2 position 4 does not match the end tag of 'configuration'. Line 3, position 3.; HipaaAnalyzers does not check its settings until it is fixed"));

    [Fact]
    public Task Leaves_other_files_and_projects_without_settings_alone() => RunAsync("notes.json", "{ not json");
}
