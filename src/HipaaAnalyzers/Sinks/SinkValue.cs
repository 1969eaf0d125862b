using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Sinks;

/// <summary>A value handed to a sink (a log call, an exception, a URL), and how the sink writes it.</summary>
internal readonly struct SinkValue
{
    public SinkValue(IOperation value, SinkFormatting formatting, string sinkName)
    {
        Value = value;
        Formatting = formatting;
        SinkName = sinkName;
    }

    public IOperation Value { get; }
    public SinkFormatting Formatting { get; }

    /// <summary>Shown in messages: "LoggerExtensions.LogInformation", "Console.WriteLine".</summary>
    public string SinkName { get; }
}
