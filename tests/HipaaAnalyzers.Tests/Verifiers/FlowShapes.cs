using System.Collections.Generic;
using System.Text.RegularExpressions;
using Xunit;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>
/// What a rule that asks the value flow is tested with: one value (<see cref="FlowCase.Literal"/>) reaching one use
/// (<see cref="FlowCase.Use"/>) in each shape of the NIST Juliet flow variants, and the shapes where the value comes from
/// configuration or a caller the code does not have, which must stay quiet.
/// </summary>
public sealed class FlowCase
{
    /// <param name="usings">The using directives the use needs (System and Microsoft.Extensions.Configuration are always there).</param>
    /// <param name="type">The C# type of the value: "string", "int".</param>
    /// <param name="literal">The value that must be found: "\"MD5\"", "1024".</param>
    /// <param name="input">A value from outside of that type, for the other branches: "Console.ReadLine()".</param>
    /// <param name="configured">A value of that type read from <c>_configuration</c>.</param>
    /// <param name="use">The use with its diagnostic markup, <c>{0}</c> where the value goes.</param>
    public FlowCase(string usings, string type, string literal, string input, string configured, string use)
    {
        Usings = usings;
        Type = type;
        Literal = literal;
        Input = input;
        Configured = configured;
        Use = use;
    }

    public string Usings { get; }
    public string Type { get; }
    public string Literal { get; }
    public string Input { get; }
    public string Configured { get; }
    public string Use { get; }
}

public static class FlowShapes
{
    private static readonly Dictionary<string, string> ReportedShapes = new()
    {
        ["assignment after declaration"] = @"
    public object Run()
    {
        TYPE data;
        data = LITERAL;
        return USE(data);
    }",
        ["branch"] = @"
    public object Run()
    {
        TYPE data;
        if (DateTime.Now.Second > 1)
        {
            data = LITERAL;
        }
        else
        {
            data = INPUT;
        }

        return USE(data);
    }",
        ["switch"] = @"
    public object Run()
    {
        TYPE data;
        switch (DateTime.Now.Second)
        {
            case 6:
                data = INPUT;
                break;
            default:
                data = LITERAL;
                break;
        }

        return USE(data);
    }",
        ["a value overwritten in one branch only"] = @"
    public object Run()
    {
        TYPE data = LITERAL;
        if (DateTime.Now.Second > 1)
        {
            data = CONFIGURED;
        }

        return USE(data);
    }",
        ["loop"] = @"
    public object Run()
    {
        TYPE data = INPUT;
        for (int i = 0; i < 1; i++)
        {
            data = LITERAL;
        }

        return USE(data);
    }",
        ["try"] = @"
    public object Run()
    {
        TYPE data;
        try
        {
            data = LITERAL;
        }
        catch (InvalidOperationException)
        {
            data = INPUT;
        }

        return USE(data);
    }",
        ["other method"] = @"
    public object Run() => Sink(LITERAL);

    private static object Sink(TYPE data) => USE(data);",
        ["other class"] = @"
    public object Run() => new Other().Sink(LITERAL);
}

class Other
{
    public object Sink(TYPE data) => USE(data);",
        ["return"] = @"
    private static TYPE Source()
    {
        TYPE data = LITERAL;
        return data;
    }

    public object Run() => USE(Source());",
        ["field"] = @"
    private TYPE _data;

    public void Remember() => _data = LITERAL;

    public object Run() => USE(_data);",
        ["static field"] = @"
    private static TYPE s_data;

    public static void Remember() => s_data = LITERAL;

    public object Run() => USE(s_data);",
        ["static readonly field"] = @"
    private static readonly TYPE s_data = LITERAL;

    public object Run() => USE(s_data);",
        ["array element"] = @"
    public object Run()
    {
        TYPE[] items = new TYPE[3];
        items[0] = INPUT;
        items[2] = LITERAL;
        return USE(items[2]);
    }",
    };

    private static readonly Dictionary<string, string> QuietShapes = new()
    {
        ["configuration"] = @"
    public object Run()
    {
        TYPE data = CONFIGURED;
        return USE(data);
    }",
        ["configuration through a method"] = @"
    public object Run() => Sink(CONFIGURED);

    private static object Sink(TYPE data) => USE(data);",
        ["a value overwritten before the use"] = @"
    public object Run()
    {
        TYPE data = LITERAL;
        data = CONFIGURED;
        return USE(data);
    }",
        ["a value overwritten in every branch"] = @"
    public object Run()
    {
        TYPE data = LITERAL;
        if (DateTime.Now.Second > 1)
        {
            data = CONFIGURED;
        }
        else
        {
            data = INPUT;
        }

        return USE(data);
    }",
        ["parameter no caller passes"] = @"
    public object Run(TYPE data) => USE(data);",
        ["input in every branch"] = @"
    public object Run()
    {
        TYPE data;
        if (DateTime.Now.Second > 1)
        {
            data = INPUT;
        }
        else
        {
            data = CONFIGURED;
        }

        return USE(data);
    }",
    };

    public static TheoryData<string> Reported => Names(ReportedShapes);

    public static TheoryData<string> Quiet => Names(QuietShapes);

    /// <summary>The source of one shape: reported shapes keep the use's markup, quiet shapes drop it.</summary>
    public static string Source(string shape, FlowCase flowCase)
    {
        bool reported = ReportedShapes.TryGetValue(shape, out var body);
        if (!reported)
        {
            body = QuietShapes[shape];
        }

        var use = reported ? flowCase.Use : Regex.Replace(flowCase.Use, @"\{\|HIPAA\d+:|\|\}", "");
        var code = body!
            .Replace("TYPE", flowCase.Type)
            .Replace("LITERAL", flowCase.Literal)
            .Replace("INPUT", flowCase.Input)
            .Replace("CONFIGURED", flowCase.Configured);
        code = Regex.Replace(code, @"USE\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)", m => use.Replace("{0}", m.Groups[1].Value));
        return "using System;\nusing Microsoft.Extensions.Configuration;\n" + flowCase.Usings + @"

class Shapes
{
    private readonly IConfiguration _configuration;

    public Shapes(IConfiguration configuration) => _configuration = configuration;
" + code + @"
}
";
    }

    private static TheoryData<string> Names(Dictionary<string, string> shapes)
    {
        var data = new TheoryData<string>();
        foreach (var name in shapes.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
