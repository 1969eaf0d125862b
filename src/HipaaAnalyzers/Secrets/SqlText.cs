using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Secrets;

/// <summary>
/// The text of a SQL statement as the code builds it: constant text from literals, constants, interpolated strings,
/// concatenations, <c>string.Format</c> and locals, and holes for the values the code puts into it at run time.
/// Each hole is one private-use character in <see cref="Text"/>. Constant text remembers where it is in the source
/// when it maps one to one (no escape sequences), so a fix can rewrite it.
/// </summary>
internal sealed class SqlText
{
    public const char HoleChar = '\uE000';
    private const int MaxDepth = 8;

    private readonly StringBuilder _text = new();
    private readonly List<int> _sourcePositions = new();
    private readonly List<SyntaxTree?> _trees = new();
    private readonly Dictionary<int, IOperation> _holes = new();
    private int _budget = 1024;

    private SqlText()
    {
    }

    public string Text => _text.ToString();

    /// <summary>The value put into the text at <paramref name="index"/>, when that character is a hole.</summary>
    public IOperation? HoleAt(int index) => _holes.TryGetValue(index, out var hole) ? hole : null;

    /// <summary>Where the character at <paramref name="index"/> is in the source, when it maps one to one.</summary>
    public Location? SourceOf(int index, int length = 1) =>
        _sourcePositions[index] >= 0 && _trees[index] is { } tree ? Location.Create(tree, new TextSpan(_sourcePositions[index], length)) : null;

    public static SqlText Build(IOperation value)
    {
        var text = new SqlText();
        text.Add(value, 0, null);
        return text;
    }

    private void Add(IOperation value, int depth, HashSet<ILocalSymbol>? visited)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        // depth counts hops through locals and calls; the budget bounds the work on very long concatenations.
        if (depth > MaxDepth || --_budget < 0)
        {
            AddHole(value);
            return;
        }

        // "... '" + Key + "' ...": a concatenation the compiler folds, with a named constant in it. The constant is a
        // value put into the SQL like any other (a fix can bind it as a parameter), not text of the statement.
        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, ConstantValue.HasValue: true } folded &&
            folded.Type?.SpecialType == SpecialType.System_String && HasNamedConstant(folded))
        {
            AddOperand(folded.LeftOperand, depth, visited);
            AddOperand(folded.RightOperand, depth, visited);
            return;
        }

        if (value.ConstantValue is { HasValue: true, Value: string constant } && !HasNamedConstantHole(value))
        {
            AddConstant(constant, value.Syntax);
            return;
        }

        switch (value)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string piece } } text:
                            AddConstant(piece, text.Syntax);
                            break;
                        case IInterpolationOperation { Expression: var expression } when NamedConstant(expression) is { } named:
                            AddHole(named);
                            break;
                        case IInterpolationOperation { Expression: var expression } hole
                            when expression.ConstantValue is { HasValue: true, Value: string holeText }:
                            AddConstant(holeText, hole.Syntax, mappable: false);
                            break;
                        case IInterpolationOperation hole:
                            AddHole(hole.Expression);
                            break;
                    }
                }

                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when add.Type?.SpecialType == SpecialType.System_String:
                Add(add.LeftOperand, depth, visited);
                Add(add.RightOperand, depth, visited);
                return;
            case ILocalReferenceOperation reference:
                visited ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                var values = LocalAssignments.For(reference).ValuesOf(reference.Local);
                if (values.Count == 1 && visited.Add(reference.Local))
                {
                    Add(values[0], depth + 1, visited);
                    return;
                }

                break;
            case IInvocationOperation { TargetMethod: { Name: "Format", ContainingType.SpecialType: SpecialType.System_String } } format:
                if (AddFormat(format, depth, visited))
                {
                    return;
                }

                break;
            case IInvocationOperation { TargetMethod: { Name: "Concat", ContainingType.SpecialType: SpecialType.System_String } } concat:
                foreach (var argument in concat.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
                    {
                        foreach (var item in items.ElementValues)
                        {
                            Add(item, depth + 1, visited);
                        }
                    }
                    else
                    {
                        Add(argument.Value, depth + 1, visited);
                    }
                }

                return;
        }

        AddHole(value);
    }

    /// <summary>string.Format("... '{0}' ...", key): the format's text with a hole for each placeholder.</summary>
    private bool AddFormat(IInvocationOperation invocation, int depth, HashSet<ILocalSymbol>? visited)
    {
        string? format = null;
        var args = new List<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "format")
            {
                format = argument.Value.ConstantValue is { HasValue: true, Value: string f } ? f : null;
            }
            else if (argument.Parameter?.Name != "provider")
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
                {
                    args.AddRange(items.ElementValues);
                }
                else if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    args.Add(argument.Value);
                }
            }
        }

        if (format is null)
        {
            return false;
        }

        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                AddChar(c, -1, null);
                i++;
                continue;
            }

            if (c == '{')
            {
                int close = format.IndexOf('}', i);
                if (close < 0)
                {
                    return false;
                }

                var spec = format.Substring(i + 1, close - i - 1);
                int end = spec.IndexOfAny(new[] { ',', ':' });
                if (int.TryParse(end < 0 ? spec : spec.Substring(0, end), out int index) && index >= 0 && index < args.Count)
                {
                    Add(args[index], depth + 1, visited);
                }
                else
                {
                    AddHole(invocation);
                }

                i = close;
                continue;
            }

            AddChar(c, -1, null);
        }

        return true;
    }

    private void AddOperand(IOperation operand, int depth, HashSet<ILocalSymbol>? visited)
    {
        if (NamedConstant(operand) is { } named)
        {
            AddHole(named);
        }
        else
        {
            Add(operand, depth, visited);
        }
    }

    /// <summary>A constant field or local read by name (not a literal), conversions removed; null otherwise.</summary>
    private static IOperation? NamedConstant(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value is IFieldReferenceOperation { Field.IsConst: true } or ILocalReferenceOperation { Local.IsConst: true } ? value : null;
    }

    /// <summary>$"... '{Key}' ...": constant when every hole is, yet the named constant in it is a value put into the SQL.</summary>
    private static bool HasNamedConstantHole(IOperation value)
    {
        if (value is IInterpolatedStringOperation interpolated)
        {
            foreach (var part in interpolated.Parts)
            {
                if (part is IInterpolationOperation hole && NamedConstant(hole.Expression) is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasNamedConstant(IBinaryOperation add)
    {
        for (IOperation? current = add; current is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary;)
        {
            if (NamedConstant(binary.RightOperand) is not null || NamedConstant(binary.LeftOperand) is not null)
            {
                return true;
            }

            current = binary.LeftOperand;
            while (current is IConversionOperation conversion)
            {
                current = conversion.Operand;
            }
        }

        return false;
    }

    private void AddConstant(string text, SyntaxNode syntax, bool mappable = true)
    {
        int start = mappable ? SourceStart(syntax, text) : -1;
        for (int i = 0; i < text.Length; i++)
        {
            AddChar(text[i], start < 0 ? -1 : start + i, syntax.SyntaxTree);
        }
    }

    private void AddChar(char c, int sourcePosition, SyntaxTree? tree)
    {
        _text.Append(c == HoleChar ? ' ' : c);
        _sourcePositions.Add(sourcePosition);
        _trees.Add(tree);
    }

    private void AddHole(IOperation value)
    {
        _holes[_text.Length] = value;
        _text.Append(HoleChar);
        _sourcePositions.Add(-1);
        _trees.Add(null);
    }

    /// <summary>Where the text of a literal starts in the source, when its characters map one to one; otherwise -1.</summary>
    private static int SourceStart(SyntaxNode syntax, string text)
    {
        switch (syntax)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                var token = literal.Token;
                var raw = token.Text;
                if (raw.StartsWith("@\"", StringComparison.Ordinal))
                {
                    return raw.Length == text.Length + 3 ? token.SpanStart + 2 : -1;
                }

                return raw.StartsWith("\"", StringComparison.Ordinal) && !raw.StartsWith("\"\"\"", StringComparison.Ordinal) && raw.Length == text.Length + 2
                    ? token.SpanStart + 1
                    : -1;
            case InterpolatedStringTextSyntax part:
                return part.TextToken.Text == text ? part.TextToken.SpanStart : -1;
            default:
                return -1;
        }
    }
}

/// <summary>A database encryption function whose key is written into SQL text, found by <see cref="SqlKeys.Find"/>.</summary>
internal sealed class EmbeddedSqlKey
{
    public EmbeddedSqlKey(string function, int start, int end, IOperation? hole)
    {
        Function = function;
        Start = start;
        End = end;
        Hole = hole;
    }

    /// <summary>The quoted literal (or the bare value) that holds the key, in <see cref="SqlText.Text"/>: what a parameter replaces.</summary>
    public int KeyStart { get; set; }

    public int KeyEnd { get; set; }

    /// <summary>The function as written: "pgp_sym_encrypt", "ENCRYPTBYPASSPHRASE" ...</summary>
    public string Function { get; }

    /// <summary>The key argument in <see cref="SqlText.Text"/>, trimmed: [Start, End).</summary>
    public int Start { get; }

    public int End { get; }

    /// <summary>The value put into the SQL as the key, or null when the key is a literal of the SQL.</summary>
    public IOperation? Hole { get; }
}

/// <summary>Finds pgcrypto, SQL Server and MySQL encryption functions whose key argument is part of the SQL text.</summary>
internal static class SqlKeys
{
    private static readonly Regex Function = new(
        @"(?<![\w$])(?<name>pgp_sym_encrypt_bytea|pgp_sym_decrypt_bytea|pgp_sym_encrypt|pgp_sym_decrypt|pgp_pub_decrypt_bytea|pgp_pub_decrypt|encrypt_iv|decrypt_iv|encrypt|decrypt|encryptbypassphrase|decryptbypassphrase|aes_encrypt|aes_decrypt)\s*\(",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));

    private static readonly Regex Wrapper = new(
        @"^(?:convert_to|decode|dearmor|digest|cast)\s*\((?<inner>.*?)(?:,[^,]*|\s+as\s+\w+)?\)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(200));

    private static readonly Regex Cast = new(@"::\s*[A-Za-z_][\w ]*$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));

    /// <summary>Quick test before any parsing: does the text mention an encryption function at all?</summary>
    public static bool MayContain(string text) =>
        text.IndexOf("crypt", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("passphrase", StringComparison.OrdinalIgnoreCase) >= 0;

    public static List<EmbeddedSqlKey> Find(SqlText sql)
    {
        var found = new List<EmbeddedSqlKey>();
        var text = sql.Text;
        if (!MayContain(text))
        {
            return found;
        }

        MatchCollection matches;
        try
        {
            matches = Function.Matches(text);
            _ = matches.Count;
        }
        catch (RegexMatchTimeoutException)
        {
            return found;
        }

        foreach (Match match in matches)
        {
            if (InsideQuotes(text, match.Index))
            {
                continue;
            }

            var name = match.Groups["name"].Value;
            var args = Arguments(text, match.Index + match.Length);
            if (args is null)
            {
                continue;
            }

            foreach (var keyIndex in KeyArguments(name.ToLowerInvariant(), args.Count))
            {
                var (start, end) = Trim(text, args[keyIndex].Start, args[keyIndex].End);
                if (EmbeddedKey(sql, text, start, end) is { } embedded)
                {
                    found.Add(new EmbeddedSqlKey(name, start, end, embedded.Hole) { KeyStart = embedded.Start, KeyEnd = embedded.End });
                }
            }
        }

        return found;
    }

    /// <summary>Which arguments are secret keys or passwords, by function, and how many arguments it must have.</summary>
    private static int[] KeyArguments(string function, int count) => function switch
    {
        "pgp_sym_encrypt" or "pgp_sym_decrypt" or "pgp_sym_encrypt_bytea" or "pgp_sym_decrypt_bytea" when count >= 2 => new[] { 1 },
        "pgp_pub_decrypt" or "pgp_pub_decrypt_bytea" when count >= 3 => new[] { 1, 2 },
        "pgp_pub_decrypt" or "pgp_pub_decrypt_bytea" when count == 2 => new[] { 1 },
        "encrypt" or "decrypt" when count == 3 => new[] { 1 },
        "encrypt_iv" or "decrypt_iv" when count == 4 => new[] { 1 },
        "encryptbypassphrase" or "decryptbypassphrase" when count >= 2 => new[] { 0 },
        "aes_encrypt" or "aes_decrypt" when count >= 2 => new[] { 1 },
        _ => Array.Empty<int>(),
    };

    private sealed class Embedded
    {
        public IOperation? Hole { get; set; }

        public int Start { get; set; }

        public int End { get; set; }
    }

    /// <summary>
    /// The key argument is embedded when it is a quoted literal, or a value put into the text (quoted or not), also
    /// inside <c>convert_to</c>, <c>decode</c>, <c>dearmor</c>, <c>digest</c>, <c>CAST</c> and <c>::</c> casts. A
    /// parameter (<c>@key</c>, <c>:key</c>, <c>$1</c>, <c>?</c>), a column or a setting lookup is not.
    /// </summary>
    private static Embedded? EmbeddedKey(SqlText sql, string text, int start, int end)
    {
        var argument = text.Substring(start, end - start);
        int offset = 0;
        for (int guard = 0; guard < 4; guard++)
        {
            var cast = Cast.Match(argument);
            if (cast.Success)
            {
                argument = argument.Substring(0, cast.Index).TrimEnd();
                continue;
            }

            var wrapper = Wrapper.Match(argument);
            if (wrapper.Success)
            {
                var inner = wrapper.Groups["inner"];
                var trimmed = inner.Value.Trim();
                offset += inner.Index + inner.Value.IndexOf(trimmed, StringComparison.Ordinal);
                argument = trimmed;
                continue;
            }

            break;
        }

        if (argument.Length == 1 && argument[0] == SqlText.HoleChar)
        {
            return new Embedded { Hole = sql.HoleAt(start + offset), Start = start + offset, End = start + offset + 1 };
        }

        // N'...' (SQL Server Unicode literal), _utf8'...' (MySQL)
        int quote = argument.IndexOf('\'');
        if (quote < 0 || argument[argument.Length - 1] != '\'' || argument.Length - quote < 3)
        {
            return null;
        }

        var prefix = argument.Substring(0, quote);
        if (prefix.Length > 0 && !(prefix is "N" or "n" || prefix.StartsWith("_", StringComparison.Ordinal)))
        {
            return null;
        }

        var content = argument.Substring(quote + 1, argument.Length - quote - 2);
        int holeAt = content.IndexOf(SqlText.HoleChar);
        if (holeAt >= 0)
        {
            return new Embedded { Hole = sql.HoleAt(start + offset + quote + 1 + holeAt), Start = start + offset, End = start + offset + argument.Length };
        }

        // '{0}' in FromSqlRaw / ExecuteSqlRaw text is EF Core's parameter placeholder, not a key.
        var bare = content.Trim();
        if (bare.Length > 2 && bare[0] == '{' && bare[bare.Length - 1] == '}' && int.TryParse(bare.Substring(1, bare.Length - 2), out _))
        {
            return null;
        }

        return content.Replace("''", "").IndexOf('\'') >= 0 || bare.Length == 0
            ? null
            : new Embedded { Start = start + offset, End = start + offset + argument.Length };
    }

    private static (int Start, int End) Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    /// <summary>The arguments of a call whose '(' ends at <paramref name="position"/>, split at top-level commas.</summary>
    private static List<(int Start, int End)>? Arguments(string text, int position)
    {
        var args = new List<(int, int)>();
        int depth = 0;
        int start = position;
        bool inQuote = false;
        for (int i = position; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuote)
            {
                if (c == '\'')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        i++;
                    }
                    else
                    {
                        inQuote = false;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    inQuote = true;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when depth == 0:
                    args.Add((start, i));
                    return args;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    args.Add((start, i));
                    start = i + 1;
                    break;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="index"/> is inside a SQL string literal or comment (the function only mentioned).</summary>
    private static bool InsideQuotes(string text, int index)
    {
        bool inQuote = false;
        for (int i = 0; i < index; i++)
        {
            char c = text[i];
            if (inQuote)
            {
                inQuote = c != '\'';
                continue;
            }

            if (c == '\'')
            {
                inQuote = true;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                int newline = text.IndexOf('\n', i);
                if (newline < 0 || newline > index)
                {
                    return true;
                }

                i = newline;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0 || close > index)
                {
                    return true;
                }

                i = close + 1;
            }
        }

        return inQuote;
    }
}
