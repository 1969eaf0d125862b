using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

public sealed class UnifiedDiffTests
{
    [Fact]
    public void Changed_line_gets_a_hunk_with_three_lines_of_context()
    {
        var before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        var after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        var diff = UnifiedDiff.Create("a/x.cs", "b/x.cs", before, after);
        Assert.Equal("--- a/x.cs\n+++ b/x.cs\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n", diff);
    }

    [Fact]
    public void Distant_changes_get_separate_hunks_and_insertions_count_correctly()
    {
        var before = string.Join("\n", System.Linq.Enumerable.Range(1, 20)) + "\n";
        var after = "0\n" + before.Replace("15\n", "15\nnew\n", System.StringComparison.Ordinal);
        var diff = UnifiedDiff.Create("a/n", "b/n", before, after);
        Assert.Contains("@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n", diff);
        Assert.Contains("@@ -13,6 +14,7 @@\n 13\n 14\n 15\n+new\n 16\n 17\n 18\n", diff);
    }

    [Fact]
    public void Identical_texts_give_only_the_header()
    {
        Assert.Equal("--- a\n+++ b\n", UnifiedDiff.Create("a", "b", "x\ny\n", "x\ny\n"));
    }

    [Fact]
    public void Crlf_files_diff_by_line()
    {
        var diff = UnifiedDiff.Create("a", "b", "x\r\ny\r\n", "x\r\nz\r\n");
        Assert.Equal("--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n", diff);
    }
}
