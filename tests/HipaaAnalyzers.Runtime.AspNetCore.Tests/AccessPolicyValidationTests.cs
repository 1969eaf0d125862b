using System;
using System.Collections.Generic;
using System.IO;
using HipaaAnalyzers.Runtime.AspNetCore.Policies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>Bad role definitions fail at startup with the role and the field named.</summary>
public sealed class AccessPolicyValidationTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static HipaaAccessPolicyException Fails(string json)
        => Assert.Throws<HipaaAccessPolicyException>(() => new ServiceCollection().AddHipaaAccessPolicies(json, o => o.TimeZone = NewYork));

    private static string Role(string constraints, string permissions = "[\"view:charts\"]", string name = "nurse")
        => $$"""[{"role":"{{name}}","permissions":{{permissions}},"constraints":{{constraints}}}]""";

    public static TheoryData<string, string, string, string> BadDefinitions() => new()
    {
        // json, role, field, words in the message
        { Role("""{"temporal":"08:00-18:00 Mon-Fry"}"""), "nurse", "constraints.temporal", "unknown day 'Fry'" },
        { Role("""{"temporal":"08:00-18:00 Mon-Funday"}"""), "nurse", "constraints.temporal", "unknown day 'Funday'" },
        { Role("""{"temporal":"8:00-18:00 Mon-Fri"}"""), "nurse", "constraints.temporal", "start time '8:00'" },
        { Role("""{"temporal":"08:00-25:00 Mon-Fri"}"""), "nurse", "constraints.temporal", "end time '25:00'" },
        { Role("""{"temporal":"08:60-18:00"}"""), "nurse", "constraints.temporal", "start time '08:60'" },
        { Role("""{"temporal":"24:00-06:00"}"""), "nurse", "constraints.temporal", "start time '24:00'" },
        { Role("""{"temporal":"08:00-08:00 Mon"}"""), "nurse", "constraints.temporal", "is empty" },
        { Role("""{"temporal":"08:00 to 18:00"}"""), "nurse", "constraints.temporal", "is not a window" },
        { Role("""{"temporal":"08:00-18:00 Mon-Fri,Wed"}"""), "nurse", "constraints.temporal", "day 'Wed' is listed twice" },
        { Role("""{"temporal":"08:00-18:00 Mon,,Fri"}"""), "nurse", "constraints.temporal", "empty entry" },
        { Role("""{"temporal":["08:00-12:00 Mon-Fri","11:00-13:00 Wed"]}"""), "nurse", "constraints.temporal[1]", "overlaps '08:00-12:00 Mon-Fri' at Wed 11:00" },
        { Role("""{"temporal":["22:00-06:00 Fri","05:00-07:00 Sat"]}"""), "nurse", "constraints.temporal[1]", "at Sat 05:00" },
        { Role("""{"temporal":["22:00-06:00 Sun","05:00-07:00 Mon"]}"""), "nurse", "constraints.temporal[1]", "at Mon 05:00" },
        { Role("""{"temporal":[]}"""), "nurse", "constraints.temporal", "is empty" },
        { Role("""{"temporal":42}"""), "nurse", "constraints.temporal", "must be an array of strings" },
        { Role("""{"ip_range":["192.168.1.0/33"]}"""), "nurse", "constraints.ip_range[0]", "prefix length 33 is longer than 32 for an IPv4 address" },
        { Role("""{"ip_range":["2001:db8::/129"]}"""), "nurse", "constraints.ip_range[0]", "prefix length 129 is longer than 128 for an IPv6 address" },
        { Role("""{"ip_range":["10.0.0.0/8","192.168.1.300/24"]}"""), "nurse", "constraints.ip_range[1]", "'192.168.1.300' is not an IPv4 or IPv6 address" },
        { Role("""{"ip_range":["10.1/16"]}"""), "nurse", "constraints.ip_range[0]", "'10.1' is not an IPv4 or IPv6 address" },
        { Role("""{"ip_range":["192.168.1.5/24"]}"""), "nurse", "constraints.ip_range[0]", "did you mean 192.168.1.0/24" },
        { Role("""{"ip_range":["10.0.0.0/-1"]}"""), "nurse", "constraints.ip_range[0]", "prefix length '-1' is not a number" },
        { Role("""{"ip_range":["10.0.0.0/"]}"""), "nurse", "constraints.ip_range[0]", "prefix length '' is not a number" },
        { Role("""{"ip_range":["fe80::1%eth0"]}"""), "nurse", "constraints.ip_range[0]", "is not an IPv4 or IPv6 address" },
        { Role("""{"ip_range":[]}"""), "nurse", "constraints.ip_range", "is empty" },
        { Role("""{"geo":"US"}"""), "nurse", "constraints.geo", "is not a known constraint" },
        { Role("{}", permissions: "[]"), "nurse", "permissions", "is empty" },
        { Role("{}", permissions: "[\"\"]"), "nurse", "permissions[0]", "non-empty permission" },
        { Role("{}", permissions: "[\"view charts\"]"), "nurse", "permissions[0]", "without spaces" },
        { Role("{}", permissions: "\"view:charts\""), "nurse", "permissions", "must be an array of strings" },
        { Role("{}", permissions: "[7]"), "nurse", "permissions[0]", "must be a string" },
        { """[{"role":"nurse","permissions":["a"]},{"role":"nurse","permissions":["b"]}]""", "nurse", "role", "duplicate role: also defined by entry #1" },
        { """[{"role":"nurse","permission":["a"]}]""", "nurse", "permission", "is not a known field" },
        { """[{"role":"nurse"}]""", "nurse", "permissions", "is empty" },
        { """[{"role":" nurse","permissions":["a"]}]""", " nurse", "role", "without leading or trailing spaces" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public void Bad_definition_names_the_role_and_field(string json, string role, string field, string problem)
    {
        HipaaAccessPolicyException ex = Fails(json);
        Assert.Equal(role, ex.Role);
        Assert.Equal(field, ex.Field);
        Assert.Contains($"role '{role}', field '{field}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"permissions":["a"]}]""", "role", "entry #1")]
    [InlineData("""[{"role":"a","permissions":["x"]}, 5]""", "(entry)", "entry #2")]
    [InlineData("""[{"role":7,"permissions":["x"]}]""", "role", "entry #1")]
    public void Entries_without_a_role_name_are_named_by_position(string json, string field, string entry)
    {
        HipaaAccessPolicyException ex = Fails(json);
        Assert.Null(ex.Role);
        Assert.Equal(field, ex.Field);
        Assert.Contains(entry, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_reports_line_and_position()
    {
        string json = "[\n  {\"role\":\"nurse\",\n   \"permissions\":[\"view:charts\",]\n  }\n]";
        HipaaAccessPolicyException ex = Fails(json);
        Assert.Equal(3, ex.LineNumber);
        Assert.NotNull(ex.BytePositionInLine);
        Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at line 3, position", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "root must be a JSON array")]
    [InlineData("[]", "no role definitions")]
    public void Document_shape_errors(string json, string problem)
        => Assert.Contains(problem, Fails(json).Message, StringComparison.Ordinal);

    [Fact]
    public void Time_zone_is_required()
    {
        HipaaAccessPolicyException ex = Assert.Throws<HipaaAccessPolicyException>(
            () => new ServiceCollection().AddHipaaAccessPolicies("""[{"role":"a","permissions":["x"]}]""", _ => { }));
        Assert.Equal("TimeZone", ex.Field);
    }

    [Fact]
    public void Registering_twice_is_refused()
    {
        ServiceCollection services = new();
        services.AddHipaaAccessPolicies("""[{"role":"a","permissions":["x"]}]""", o => o.TimeZone = NewYork);
        Assert.Throws<InvalidOperationException>(
            () => services.AddHipaaAccessPolicies("""[{"role":"b","permissions":["y"]}]""", o => o.TimeZone = NewYork));
    }

    [Fact]
    public void Configuration_section_is_read_like_json()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HipaaRoles:0:role"] = "radiologist",
            ["HipaaRoles:0:permissions:0"] = "view:medical_images",
            ["HipaaRoles:0:constraints:temporal"] = "08:00-18:00 Mon-Fri",
            ["HipaaRoles:0:constraints:ip_range:0"] = "192.168.1.0/24",
            ["HipaaRoles:1:role"] = "auditor",
            ["HipaaRoles:1:permissions:0"] = "view:audit",
            ["HipaaRoles:1:constraints:ip_range:0"] = "10.0.0.0/33",
        }).Build();

        HipaaAccessPolicyException ex = Assert.Throws<HipaaAccessPolicyException>(
            () => new ServiceCollection().AddHipaaAccessPolicies(configuration.GetSection("HipaaRoles"), o => o.TimeZone = NewYork));
        Assert.Equal("auditor", ex.Role);
        Assert.Equal("constraints.ip_range[0]", ex.Field);

        IReadOnlyList<RoleDefinition> roles = AccessPolicyParser.ParseConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["R:0:role"] = "radiologist",
                ["R:0:permissions:0"] = "view:medical_images",
                ["R:0:permissions:1"] = "annotate:studies",
                ["R:0:constraints:temporal"] = "08:00-18:00 Mon-Fri",
                ["R:0:constraints:ip_range:0"] = "192.168.1.0/24",
            }).Build().GetSection("R"),
            source: null);
        RoleDefinition role = Assert.Single(roles);
        Assert.Equal(new[] { "view:medical_images", "annotate:studies" }, role.Permissions);
        Assert.Equal("08:00-18:00 Mon-Fri", Assert.Single(role.Windows).Display);
        Assert.Equal("192.168.1.0/24", Assert.Single(role.Ranges).Text);
    }

    [Fact]
    public void File_source_names_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "hipaa-roles-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "[\n{\"role\":\"nurse\",\"permissions\":[\"view:charts\"],\"constraints\":{\"temporal\":\"09:00-17:00 Mon-Fry\"}}\n]");
        try
        {
            HipaaAccessPolicyException bad = Assert.Throws<HipaaAccessPolicyException>(
                () => new ServiceCollection().AddHipaaAccessPoliciesFromFile(path, o => o.TimeZone = NewYork));
            Assert.Equal("constraints.temporal", bad.Field);

            File.WriteAllText(path, "[{\"role\":\"nurse\",\"permissions\":[\"view:charts\"]}");
            HipaaAccessPolicyException malformed = Assert.Throws<HipaaAccessPolicyException>(
                () => new ServiceCollection().AddHipaaAccessPoliciesFromFile(path, o => o.TimeZone = NewYork));
            Assert.Contains(path, malformed.Message, StringComparison.Ordinal);
            Assert.Equal(1, malformed.LineNumber);
        }
        finally
        {
            File.Delete(path);
        }

        HipaaAccessPolicyException missing = Assert.Throws<HipaaAccessPolicyException>(
            () => new ServiceCollection().AddHipaaAccessPoliciesFromFile(path, o => o.TimeZone = NewYork));
        Assert.Contains("cannot be read", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("08:00-18:00 Mon-Fri")]
    [InlineData("08:00-18:00 mon-fri")]
    [InlineData("08:00-18:00 Monday-Friday")]
    [InlineData("08:00-18:00 Mon,Tue,Wed,Thu,Fri")]
    [InlineData("08:00-18:00 Mon-Wed, Thu-Fri")]
    public void Day_spellings_are_equivalent(string text)
    {
        WeeklyWindow window = Assert.IsType<WeeklyWindow>(WeeklyWindow.TryParse(text, out string? error));
        Assert.Null(error);
        Assert.True(window.Contains(DayOfWeek.Friday, new TimeSpan(12, 0, 0)));
        Assert.False(window.Contains(DayOfWeek.Saturday, new TimeSpan(12, 0, 0)));
        Assert.False(window.Contains(DayOfWeek.Sunday, new TimeSpan(12, 0, 0)));
        Assert.True(window.Contains(DayOfWeek.Monday, new TimeSpan(8, 0, 0)));
    }

    [Fact]
    public void Wrapping_day_ranges_and_whole_days()
    {
        WeeklyWindow weekend = WeeklyWindow.TryParse("00:00-24:00 Sat-Sun", out _)!;
        Assert.True(weekend.Contains(DayOfWeek.Sunday, new TimeSpan(23, 59, 59)));
        Assert.False(weekend.Contains(DayOfWeek.Monday, TimeSpan.Zero));

        WeeklyWindow fridayToMonday = WeeklyWindow.TryParse("09:00-17:00 Fri-Mon", out _)!;
        Assert.True(fridayToMonday.Contains(DayOfWeek.Sunday, new TimeSpan(9, 0, 0)));
        Assert.True(fridayToMonday.Contains(DayOfWeek.Monday, new TimeSpan(9, 0, 0)));
        Assert.False(fridayToMonday.Contains(DayOfWeek.Tuesday, new TimeSpan(9, 0, 0)));

        WeeklyWindow everyDay = WeeklyWindow.TryParse("22:00-06:00", out _)!;
        Assert.Equal("22:00-06:00", everyDay.Display);
        Assert.True(everyDay.Contains(DayOfWeek.Monday, new TimeSpan(5, 59, 0)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("0.0.0.0/0", "203.0.113.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("192.168.1.7", "192.168.1.7", true)]
    [InlineData("192.168.1.7", "192.168.1.8", false)]
    [InlineData("192.168.1.0/25", "192.168.1.127", true)]
    [InlineData("192.168.1.0/25", "192.168.1.128", false)]
    [InlineData("::ffff:192.168.1.0/120", "192.168.1.9", true)]
    [InlineData("::ffff:192.168.1.0/120", "::ffff:192.168.1.9", true)]
    [InlineData("2001:db8::/32", "::ffff:192.168.1.9", false)]
    [InlineData("::/0", "192.168.1.9", false)]
    [InlineData("2001:db8:abcd:12::/63", "2001:db8:abcd:13:ffff::1", true)]
    [InlineData("2001:db8:abcd:12::/63", "2001:db8:abcd:14::1", false)]
    public void Ranges_match_by_prefix_and_family(string range, string address, bool expected)
    {
        IpRange parsed = Assert.IsType<IpRange>(IpRange.TryParse(range, out _));
        Assert.Equal(expected, parsed.Contains(System.Net.IPAddress.Parse(address)));
    }
}
