namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>Usings and models shared by the endpoint rules' tests.</summary>
internal static class EndpointTestCode
{
    public const string Usings = @"using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Clinic;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
";

    /// <summary>A patient (PHI), a summary that carries a medical record number, and a product (no PHI).</summary>
    public const string Models = @"
namespace Clinic
{
    public record Patient(int Id, string Ssn, string LastName);
    public record PatientSummary(int Id, string MedicalRecordNumber);
    public record Product(int Id, string Sku, string Name, decimal Price);

    public sealed class PatientStore
    {
        public Patient Get(int id) => new(id, """", """");
        public IReadOnlyList<Patient> All() => new List<Patient>();
    }

    public sealed class ProductCatalog
    {
        public Product Get(int id) => new(id, """", """", 0m);
    }
}
";

    /// <summary>Two forms with PHI members: patient registration and appointment booking (with a list of doctors to pick).</summary>
    public const string FormModels = @"
namespace Clinic
{
    public sealed class PatientRegisterViewModel
    {
        public string FirstName { get; set; } = """";
        public string LastName { get; set; } = """";
        public DateTime DateOfBirth { get; set; }
        public string Ssn { get; set; } = """";
        public string Country { get; set; } = """";
    }

    public sealed class BookAppointmentViewModel
    {
        public List<Microsoft.AspNetCore.Mvc.Rendering.SelectListItem> Doctors { get; set; } = new();
        public DateTime AppointmentDate { get; set; }
        public string PatientName { get; set; } = """";
        public string Symptoms { get; set; } = """";
    }
}
";
}
