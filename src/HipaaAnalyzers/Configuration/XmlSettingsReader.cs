using System;
using System.Collections.Generic;
using System.IO;
using System.Xml;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Configuration;

/// <summary>
/// Reads a <c>web*.config</c> file into keys like the ones an application reads: <c>ConnectionStrings:{name}</c> for
/// <c>&lt;connectionStrings&gt;&lt;add name connectionString&gt;</c>, <c>AppSettings:{key}</c> for
/// <c>&lt;appSettings&gt;&lt;add key value&gt;</c>, and the element path and attribute name for every other attribute
/// (<c>system.net:mailSettings:smtp:network:password</c>). DTDs are not processed. It never throws: a file that is not
/// XML gives <see cref="SettingsReadResult.Error"/> with its line and column.
/// </summary>
internal static class XmlSettingsReader
{
    public static SettingsReadResult Read(SourceText text)
    {
        var entries = new List<SettingsEntry>();
        var path = new List<string>();
        var content = text.ToString();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };

        try
        {
            using var reader = XmlReader.Create(new StringReader(content), settings);
            var lineInfo = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (path.Count > 0)
                    {
                        path.RemoveAt(path.Count - 1);
                    }

                    continue;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                var name = reader.LocalName;
                var isEmpty = reader.IsEmptyElement;
                var parent = path.Count > 0 ? path[path.Count - 1] : string.Empty;
                if (reader.HasAttributes)
                {
                    ReadAttributes(reader, lineInfo, text, content, path, name, parent, entries);
                    reader.MoveToElement();
                }

                if (!isEmpty)
                {
                    path.Add(name);
                }
            }

            return SettingsReadResult.Success(entries);
        }
        catch (XmlException e)
        {
            return SettingsReadResult.Failure(e.Message, new TextSpan(Offset(text, e.LineNumber, e.LinePosition), 0));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return SettingsReadResult.Failure(e.Message, new TextSpan(0, 0));
        }
    }

    private static void ReadAttributes(
        XmlReader reader, IXmlLineInfo lineInfo, SourceText text, string content, List<string> path, string element, string parent, List<SettingsEntry> entries)
    {
        var isAdd = element.Equals("add", StringComparison.OrdinalIgnoreCase);
        var addName = isAdd ? reader.GetAttribute("name") ?? reader.GetAttribute("key") : null;
        var prefix = string.Join(":", path);
        while (reader.MoveToNextAttribute())
        {
            var attribute = reader.LocalName;
            if (reader.Prefix == "xmlns" || attribute == "xmlns")
            {
                continue;
            }

            var span = ValueSpan(text, content, lineInfo.LineNumber, lineInfo.LinePosition, reader.Value.Length);
            if (isAdd && addName is not null && parent.Equals("connectionStrings", StringComparison.OrdinalIgnoreCase) &&
                attribute.Equals("connectionString", StringComparison.OrdinalIgnoreCase))
            {
                entries.Add(new SettingsEntry("ConnectionStrings:" + addName, addName, reader.Value, isString: true, span));
            }
            else if (isAdd && addName is not null && parent.Equals("appSettings", StringComparison.OrdinalIgnoreCase) &&
                     attribute.Equals("value", StringComparison.OrdinalIgnoreCase))
            {
                entries.Add(new SettingsEntry("AppSettings:" + addName, addName, reader.Value, isString: true, span));
            }
            else if (!(isAdd && (attribute.Equals("name", StringComparison.OrdinalIgnoreCase) || attribute.Equals("key", StringComparison.OrdinalIgnoreCase))))
            {
                var key = (prefix.Length == 0 ? element : prefix + ":" + element) + ":" + attribute;
                entries.Add(new SettingsEntry(key, attribute, reader.Value, isString: true, span));
            }
        }
    }

    /// <summary>
    /// The span of an attribute's quoted value, from the position of the attribute's name that the reader reports;
    /// the name's own position when the quote cannot be found.
    /// </summary>
    private static TextSpan ValueSpan(SourceText text, string content, int line, int column, int valueLength)
    {
        var start = Offset(text, line, column);
        var equals = content.IndexOf('=', start);
        if (equals < 0)
        {
            return new TextSpan(start, 0);
        }

        var quote = equals + 1;
        while (quote < content.Length && char.IsWhiteSpace(content[quote]))
        {
            quote++;
        }

        if (quote >= content.Length || (content[quote] != '"' && content[quote] != '\''))
        {
            return new TextSpan(start, 0);
        }

        var close = content.IndexOf(content[quote], quote + 1);
        return close < 0 ? new TextSpan(quote, Math.Min(valueLength + 1, content.Length - quote)) : TextSpan.FromBounds(quote, close + 1);
    }

    /// <summary>The offset of a 1-based line and column, clamped into the text.</summary>
    internal static int Offset(SourceText text, int line, int column)
    {
        if (line <= 0 || text.Lines.Count == 0)
        {
            return 0;
        }

        var textLine = text.Lines[Math.Min(line, text.Lines.Count) - 1];
        return Math.Min(textLine.Start + Math.Max(column - 1, 0), textLine.End);
    }
}
