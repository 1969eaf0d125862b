using System;
using Spectre.Console;

namespace HipaaAnalyzers.Cli;

/// <summary>Where the scanner writes: results to standard output, progress and problems to standard error.</summary>
public sealed class Ui
{
    public Ui(IAnsiConsole output, IAnsiConsole error)
    {
        Out = output;
        Err = error;
    }

    public IAnsiConsole Out { get; }

    public IAnsiConsole Err { get; }

    public static Ui ForConsole()
    {
        return new Ui(Create(Console.Out, Console.IsOutputRedirected), Create(Console.Error, Console.IsErrorRedirected));

        static IAnsiConsole Create(System.IO.TextWriter writer, bool redirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            });

            // A log file or CI console is not 80 columns wide; wrapping paths and messages there helps nobody.
            if (redirected)
            {
                console.Profile.Width = 200;
            }

            return console;
        }
    }

    public void Progress(string message) => Err.MarkupLine("[grey]" + Markup.Escape(message) + "[/]");

    public void Note(string message) => Err.MarkupLine("[blue]note:[/] " + Markup.Escape(message));

    public void Warning(string message) => Err.MarkupLine("[yellow]warning:[/] " + Markup.Escape(message));

    public void Error(string message) => Err.MarkupLine("[red]error:[/] " + Markup.Escape(message));
}
