using System.Threading;
using HipaaAnalyzers.AspNetCore;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HipaaAnalyzers.Tests.AspNetCore;

/// <summary>The registration model keeps each file's facts between compilations, as the IDE builds one per keystroke.</summary>
public class RuntimeRegistrationsTests
{
    private const string Startup = @"
using Microsoft.Extensions.DependencyInjection;

public class Startup
{
    public void ConfigureServices(IServiceCollection services) => services.AddClinicAudit();
}
";

    private const string ServiceCollection = @"
namespace Microsoft.Extensions.DependencyInjection
{
    public interface IServiceCollection { }
}
";

    private const string AppRegistration = @"
using Microsoft.Extensions.DependencyInjection;

public static class ClinicRegistration
{
    public static IServiceCollection AddClinicAudit(this IServiceCollection services) => services;
}
";

    // The same method, now declared where the model counts it as the framework's: it registers nothing of the app's.
    private const string FrameworkRegistration = @"
namespace Microsoft.Extensions.DependencyInjection
{
    public static class ClinicRegistration
    {
        public static IServiceCollection AddClinicAudit(this IServiceCollection services) => services;
    }
}
";

    [Fact]
    public void A_change_in_the_file_that_declares_a_called_method_is_seen_by_the_next_compilation()
    {
        var startup = CSharpSyntaxTree.ParseText(Startup, path: "Startup.cs");
        var registration = CSharpSyntaxTree.ParseText(AppRegistration, path: "Registration.cs");
        var first = CSharpCompilation.Create(
            "App",
            new[] { startup, registration, CSharpSyntaxTree.ParseText(ServiceCollection, path: "Services.cs") },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(first.GetDiagnostics());

        var before = RuntimeRegistrations.Compute(first, CancellationToken.None);
        Assert.True(before.HasStartup);
        Assert.True(before.AuditRegistered);

        // The IDE's next compilation: Startup.cs is the same tree object, the other file changed.
        var second = first.ReplaceSyntaxTree(registration, CSharpSyntaxTree.ParseText(FrameworkRegistration, path: "Registration.cs"));
        Assert.Empty(second.GetDiagnostics());
        Assert.False(RuntimeRegistrations.Compute(second, CancellationToken.None).AuditRegistered);

        // An edit elsewhere that declares nothing Startup.cs calls keeps its facts.
        var third = second.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Unrelated { }", path: "Unrelated.cs"));
        Assert.False(RuntimeRegistrations.Compute(third, CancellationToken.None).AuditRegistered);
        Assert.True(RuntimeRegistrations.Compute(first, CancellationToken.None).AuditRegistered);
    }
}
