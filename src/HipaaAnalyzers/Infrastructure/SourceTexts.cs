using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// Each file's text as one string, made once and kept while the file does not change, for the cheap word searches
/// that decide whether a file is walked or bound at all. The models that search (the app scan, the runtime
/// registrations, the logging masks, the Redis stores ...) share it rather than each copying every file of the
/// compilation into a string of its own.
/// </summary>
internal static class SourceTexts
{
    private static readonly ConditionalWeakTable<SyntaxTree, string> Texts = new();

    public static string Of(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (Texts.TryGetValue(tree, out var text))
        {
            return text;
        }

        text = tree.GetText(cancellationToken).ToString();
        return Texts.GetValue(tree, _ => text);
    }

    /// <summary>Whether the file's text contains <paramref name="word"/> (ordinal).</summary>
    public static bool Mentions(SyntaxTree tree, string word, CancellationToken cancellationToken) =>
        Of(tree, cancellationToken).IndexOf(word, System.StringComparison.Ordinal) >= 0;
}
