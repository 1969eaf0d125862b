using System;
using System.Collections.Generic;
using System.Text;

namespace HipaaAnalyzers.Cli;

/// <summary>A line-based unified diff (Myers' algorithm), as 'git diff' and 'diff -u' print it.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string oldName, string newName, string before, string after)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        var edits = Diff(a, b);
        var output = new StringBuilder();
        output.Append("--- ").Append(oldName).Append('\n');
        output.Append("+++ ").Append(newName).Append('\n');

        // Positions in a and b before each edit.
        var aPos = new int[edits.Count + 1];
        var bPos = new int[edits.Count + 1];
        for (int i = 0; i < edits.Count; i++)
        {
            aPos[i + 1] = aPos[i] + (edits[i].Op == '+' ? 0 : 1);
            bPos[i + 1] = bPos[i] + (edits[i].Op == '-' ? 0 : 1);
        }

        int index = 0;
        while (index < edits.Count)
        {
            while (index < edits.Count && edits[index].Op == '=')
            {
                index++;
            }

            if (index == edits.Count)
            {
                break;
            }

            int start = Math.Max(0, index - Context);
            int end = index;
            int lastChange = index;
            while (end < edits.Count)
            {
                if (edits[end].Op != '=')
                {
                    lastChange = end;
                }
                else if (end - lastChange > 2 * Context)
                {
                    break;
                }

                end++;
            }

            end = Math.Min(edits.Count, lastChange + Context + 1);
            int aCount = aPos[end] - aPos[start];
            int bCount = bPos[end] - bPos[start];
            output.Append("@@ -").Append(aCount == 0 ? aPos[start] : aPos[start] + 1).Append(',').Append(aCount)
                .Append(" +").Append(bCount == 0 ? bPos[start] : bPos[start] + 1).Append(',').Append(bCount).Append(" @@\n");
            for (int i = start; i < end; i++)
            {
                var (op, ai, bi) = edits[i];
                output.Append(op == '=' ? ' ' : op).Append(op == '+' ? b[bi] : a[ai]).Append('\n');
            }

            index = end;
        }

        return output.ToString();
    }

    private static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>The edit script: '=' keeps a[A] (= b[B]), '-' deletes a[A], '+' inserts b[B].</summary>
    private static List<(char Op, int A, int B)> Diff(string[] a, string[] b)
    {
        int n = a.Length;
        int m = b.Length;
        int max = n + m;
        int offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        for (int d = 0; d <= max; d++)
        {
            trace.Add((int[])v.Clone());
            for (int k = -d; k <= d; k += 2)
            {
                int x = k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset]) ? v[k + 1 + offset] : v[k - 1 + offset] + 1;
                int y = x - k;
                while (x < n && y < m && string.Equals(a[x], b[y], StringComparison.Ordinal))
                {
                    x++;
                    y++;
                }

                v[k + offset] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, n, m, offset);
                }
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private static List<(char, int, int)> Backtrack(List<int[]> trace, int n, int m, int offset)
    {
        var edits = new List<(char, int, int)>();
        int x = n;
        int y = m;
        for (int d = trace.Count - 1; d >= 0; d--)
        {
            var v = trace[d];
            int k = x - y;
            int previousK = k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset]) ? k + 1 : k - 1;
            int previousX = d == 0 ? 0 : v[previousK + offset];
            int previousY = d == 0 ? 0 : previousX - previousK;
            while (x > previousX && y > previousY)
            {
                edits.Add(('=', x - 1, y - 1));
                x--;
                y--;
            }

            if (d > 0)
            {
                edits.Add(x == previousX ? ('+', x, y - 1) : ('-', x - 1, y));
            }

            x = previousX;
            y = previousY;
        }

        edits.Reverse();
        return edits;
    }
}
