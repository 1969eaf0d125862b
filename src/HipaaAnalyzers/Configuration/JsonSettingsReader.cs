using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Configuration;

/// <summary>
/// Reads an <c>appsettings*.json</c> file into the flat keys ASP.NET Core's JSON configuration provider makes of it
/// (<c>ConnectionStrings:Clinic</c>, <c>Logging:LogLevel:Default</c>, <c>Cors:Origins:0</c>), each with the span of its
/// value. As tolerant as that provider: comments (<c>//</c>, <c>/* */</c>) and trailing commas are accepted. It never
/// throws: a file that is not JSON gives <see cref="SettingsReadResult.Error"/> with the place it stops making sense.
/// </summary>
internal sealed class JsonSettingsReader
{
    /// <summary>Deeper nesting than any settings file needs; it also bounds the recursion.</summary>
    private const int MaxDepth = 64;

    private readonly string _text;
    private readonly List<SettingsEntry> _entries = new();
    private int _position;
    private string? _error;
    private int _errorPosition;

    private JsonSettingsReader(string text) => _text = text;

    public static SettingsReadResult Read(SourceText text)
    {
        var reader = new JsonSettingsReader(text.ToString());
        reader.ReadDocument();
        return reader._error is null
            ? SettingsReadResult.Success(reader._entries)
            : SettingsReadResult.Failure(reader._error, new TextSpan(System.Math.Min(reader._errorPosition, text.Length), 0));
    }

    private void ReadDocument()
    {
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _position = 1;
        }

        SkipTrivia();
        if (_error is not null)
        {
            return;
        }

        if (_position >= _text.Length)
        {
            // An empty file: nothing configured (the provider rejects it at run time, but there is nothing to leak).
            return;
        }

        if (_text[_position] != '{')
        {
            Fail("the top level must be an object ('{')");
            return;
        }

        ReadValue(prefix: null, name: null, depth: 0);
        if (_error is not null)
        {
            return;
        }

        SkipTrivia();
        if (_error is null && _position < _text.Length)
        {
            Fail("unexpected '" + Describe(_text[_position]) + "' after the end of the top-level object");
        }
    }

    private void ReadValue(string? prefix, string? name, int depth)
    {
        if (depth > MaxDepth)
        {
            Fail("objects and arrays are nested more than " + MaxDepth + " levels deep");
            return;
        }

        SkipTrivia();
        if (_error is not null)
        {
            return;
        }

        if (_position >= _text.Length)
        {
            Fail("the file ends where a value is expected");
            return;
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                ReadObject(prefix, depth);
                break;
            case '[':
                ReadArray(prefix, depth);
                break;
            case '"':
                var start = _position;
                var value = ReadString();
                if (value is not null && prefix is not null)
                {
                    _entries.Add(new SettingsEntry(prefix, name ?? prefix, value, isString: true, TextSpan.FromBounds(start, _position)));
                }

                break;
            default:
                ReadLiteral(prefix, name);
                break;
        }
    }

    private void ReadObject(string? prefix, int depth)
    {
        _position++; // '{'
        while (true)
        {
            SkipTrivia();
            if (_error is not null)
            {
                return;
            }

            if (_position >= _text.Length)
            {
                Fail("the file ends inside an object: a '}' is missing");
                return;
            }

            if (_text[_position] == '}')
            {
                _position++;
                return;
            }

            if (_text[_position] != '"')
            {
                Fail("a property name in double quotes is expected, not '" + Describe(_text[_position]) + "'");
                return;
            }

            var key = ReadString();
            if (key is null)
            {
                return;
            }

            SkipTrivia();
            if (_error is not null)
            {
                return;
            }

            if (_position >= _text.Length || _text[_position] != ':')
            {
                Fail("a ':' is expected after the property name \"" + key + "\"");
                return;
            }

            _position++;
            ReadValue(prefix is null ? key : prefix + ":" + key, key, depth + 1);
            if (_error is not null)
            {
                return;
            }

            if (!AfterMember('}'))
            {
                return;
            }
        }
    }

    private void ReadArray(string? prefix, int depth)
    {
        _position++; // '['
        int index = 0;
        while (true)
        {
            SkipTrivia();
            if (_error is not null)
            {
                return;
            }

            if (_position >= _text.Length)
            {
                Fail("the file ends inside an array: a ']' is missing");
                return;
            }

            if (_text[_position] == ']')
            {
                _position++;
                return;
            }

            var indexText = index.ToString(CultureInfo.InvariantCulture);
            ReadValue(prefix is null ? indexText : prefix + ":" + indexText, indexText, depth + 1);
            if (_error is not null)
            {
                return;
            }

            index++;
            if (!AfterMember(']'))
            {
                return;
            }
        }
    }

    /// <summary>After a member or element: a ',' (a trailing one is fine) or the closing bracket, which is left in place.</summary>
    private bool AfterMember(char close)
    {
        SkipTrivia();
        if (_error is not null)
        {
            return false;
        }

        if (_position >= _text.Length)
        {
            Fail(close == '}' ? "the file ends inside an object: a '}' is missing" : "the file ends inside an array: a ']' is missing");
            return false;
        }

        var c = _text[_position];
        if (c == ',')
        {
            _position++;
            return true;
        }

        if (c == close)
        {
            return true;
        }

        Fail("a ',' or '" + close + "' is expected, not '" + Describe(c) + "'");
        return false;
    }

    private void ReadLiteral(string? prefix, string? name)
    {
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '+' or '-' or '.'))
        {
            _position++;
        }

        var token = _text.Substring(start, _position - start);
        if (token.Length == 0)
        {
            Fail("a value is expected, not '" + Describe(_text[start]) + "'");
            _errorPosition = start;
            return;
        }

        if (token is not ("true" or "false" or "null") &&
            !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            _position = start;
            Fail("'" + token + "' is not a JSON value (strings need double quotes)");
            return;
        }

        if (prefix is not null)
        {
            // The provider turns null into an empty value.
            _entries.Add(new SettingsEntry(prefix, name ?? prefix, token == "null" ? string.Empty : token, isString: false,
                new TextSpan(start, token.Length)));
        }
    }

    /// <summary>A double-quoted string at the current position, unescaped; null (and an error) when it is not closed or has a bad escape.</summary>
    private string? ReadString()
    {
        var start = _position;
        _position++; // '"'
        var sb = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return sb.ToString();
            }

            if (c == '\n' || c == '\r')
            {
                break;
            }

            if (c != '\\')
            {
                sb.Append(c);
                _position++;
                continue;
            }

            if (_position + 1 >= _text.Length)
            {
                break;
            }

            var escape = _text[_position + 1];
            _position += 2;
            switch (escape)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_position + 4 <= _text.Length &&
                        int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        sb.Append((char)code);
                        _position += 4;
                        break;
                    }

                    _position -= 2;
                    Fail("'\\u' must be followed by four hexadecimal digits");
                    return null;
                default:
                    _position -= 2;
                    Fail("'\\" + Describe(escape) + "' is not a JSON escape (write '\\\\' for a backslash)");
                    return null;
            }
        }

        _position = start;
        Fail("a string is not closed before the end of its line");
        return null;
    }

    /// <summary>Skips whitespace and comments; an unclosed block comment is an error.</summary>
    private void SkipTrivia()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '/')
            {
                while (_position < _text.Length && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '*')
            {
                var end = _text.IndexOf("*/", _position + 2, System.StringComparison.Ordinal);
                if (end < 0)
                {
                    Fail("a '/*' comment is not closed");
                    return;
                }

                _position = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private void Fail(string message)
    {
        if (_error is null)
        {
            _error = message;
            _errorPosition = _position;
        }
    }

    private static string Describe(char c) => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };
}
