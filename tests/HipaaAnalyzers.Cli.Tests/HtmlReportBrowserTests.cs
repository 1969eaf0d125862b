using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>
/// Opens the HTML report of samples/ClinicApi in Debian's Chromium, headless, driven by Playwright (the system browser,
/// no browser download): the report renders, runs without script errors, loads nothing from outside the file, and
/// filters the findings by rule and severity. Screenshots are kept in the test artifacts.
/// </summary>
[Collection(SampleScanCollection.Name)]
public sealed class HtmlReportBrowserTests
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
    {
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic",
    };

    private readonly SampleScanFixture _scan;
    private readonly ITestOutputHelper _output;

    public HtmlReportBrowserTests(SampleScanFixture scan, ITestOutputHelper output)
    {
        _scan = scan;
        _output = output;
    }

    [Fact]
    public async Task Report_renders_without_script_errors_and_filters_findings_by_rule()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (scripts/test.sh does: apt-get install -y chromium).");
        Assert.True(File.Exists(_scan.HtmlPath), "The scan wrote no HTML report." + Environment.NewLine + _scan.Result.Describe());
        var sarif = Sarif.Load(_scan.SarifPath);
        var total = sarif.Results.Count;
        var hipaa003 = sarif.Results.Count(r => r.RuleId == "HIPAA003");
        Assert.True(hipaa003 > 0 && hipaa003 < total, $"The sample should report HIPAA003 and other rules; SARIF has {total} results, {hipaa003} of HIPAA003.");

        using var playwright = await Playwright.CreateAsync();
        var profile = TestPaths.NewTempDirectory("chromium-profile");
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArguments,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });

        var page = browser.Pages.FirstOrDefault() ?? await browser.NewPageAsync();
        var pageErrors = new List<string>();
        var consoleErrors = new List<string>();
        var requests = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                consoleErrors.Add(message.Type + ": " + message.Text);
            }
        };
        page.Request += (_, request) => requests.Add(request.Url);

        var url = new Uri(_scan.HtmlPath).AbsoluteUri;
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // It renders: title, key numbers, all three sections, every finding.
        Assert.StartsWith("HIPAA compliance report", await page.TitleAsync());
        Assert.Equal(total.ToString(), (await page.Locator("#card-findings .number").InnerTextAsync()).Trim());
        Assert.True(await page.Locator("#phi-table tbody tr").CountAsync() > 0);
        Assert.True(await page.Locator("#endpoint-table tbody tr").CountAsync() >= 6, "The sample maps at least six endpoints.");
        var rows = page.Locator("#findings-table tbody tr.finding");
        Assert.Equal(total, await rows.CountAsync());
        Assert.Equal(total, await VisibleRuleIds(page).ContinueWith(t => t.Result.Count));
        var full = Path.Combine(TestPaths.Artifacts, "clinicapi-report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = full, FullPage = true });

        // Filter by rule: only that rule's findings stay visible.
        await page.Locator("button.chip[data-rule-filter=\"HIPAA003\"]").ClickAsync();
        var visible = await VisibleRuleIds(page);
        Assert.Equal(hipaa003, visible.Count);
        Assert.All(visible, rule => Assert.Equal("HIPAA003", rule));
        Assert.Equal("true", await page.Locator("button.chip[data-rule-filter=\"HIPAA003\"]").GetAttributeAsync("aria-pressed"));
        Assert.Equal($"Showing {hipaa003} of {total} findings for HIPAA003", (await page.Locator("#filter-status").InnerTextAsync()).Trim());
        var filtered = Path.Combine(TestPaths.Artifacts, "clinicapi-report-HIPAA003.png");
        await page.Locator("#findings").ScreenshotAsync(new LocatorScreenshotOptions { Path = filtered });

        // Severity filter on top: no warnings leaves nothing, and says so.
        await page.Locator("input[data-severity-filter=\"warning\"]").UncheckAsync();
        Assert.Empty(await VisibleRuleIds(page));
        Assert.True(await page.Locator("#no-match").IsVisibleAsync());
        await page.Locator("input[data-severity-filter=\"warning\"]").CheckAsync();
        Assert.Equal(hipaa003, (await VisibleRuleIds(page)).Count);

        // The rule summary's links filter too, and "All rules" brings everything back.
        await page.Locator("#rule-summary button[data-rule-filter=\"HIPAA001\"]").ClickAsync();
        Assert.All(await VisibleRuleIds(page), rule => Assert.Equal("HIPAA001", rule));
        await page.Locator("button.chip[data-rule-filter=\"\"]").ClickAsync();
        Assert.Equal(total, (await VisibleRuleIds(page)).Count);

        _output.WriteLine("Screenshots: " + full + " and " + filtered);
        Assert.True(pageErrors.Count == 0, "Page errors: " + string.Join(Environment.NewLine, pageErrors));
        Assert.True(consoleErrors.Count == 0, "Console errors: " + string.Join(Environment.NewLine, consoleErrors));
        Assert.All(requests, request => Assert.StartsWith("file:", request));
        Assert.True(File.Exists(full) && new FileInfo(full).Length > 10_000, "The screenshot was not saved: " + full);
    }

    /// <summary>The rule of each finding row the browser actually shows.</summary>
    private static async Task<IReadOnlyList<string>> VisibleRuleIds(IPage page) =>
        await page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('#findings-table tbody tr.finding'))" +
            ".filter(row => row.getClientRects().length > 0 && getComputedStyle(row).display !== 'none')" +
            ".map(row => row.getAttribute('data-rule'))");
}
