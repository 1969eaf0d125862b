using System;
using System.Reflection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class AttributeUsageTests
{
    [Fact]
    public void Phi_AppliesToTypesMembersParametersAndReturnValues_AndIsInherited()
    {
        AttributeUsageAttribute usage = UsageOf<PhiAttribute>();

        Assert.Equal(
            AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Field |
            AttributeTargets.Parameter | AttributeTargets.ReturnValue | AttributeTargets.Method,
            usage.ValidOn);
        Assert.True(usage.Inherited);
        Assert.False(usage.AllowMultiple);
    }

    [Fact]
    public void NotPhi_AppliesToMembersParametersAndReturnValues()
    {
        Assert.Equal(
            AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter |
            AttributeTargets.ReturnValue | AttributeTargets.Method,
            UsageOf<NotPhiAttribute>().ValidOn);
    }

    [Fact]
    public void Encrypted_AppliesToPropertiesAndFields()
    {
        Assert.Equal(AttributeTargets.Property | AttributeTargets.Field, UsageOf<EncryptedAttribute>().ValidOn);
    }

    [Fact]
    public void Phi_Category_IsReadFromMetadata()
    {
        PropertyInfo ssn = typeof(SamplePatient).GetProperty(nameof(SamplePatient.Ssn))!;
        PropertyInfo id = typeof(SamplePatient).GetProperty(nameof(SamplePatient.Id))!;

        Assert.Equal("SSN", ssn.GetCustomAttribute<PhiAttribute>()!.Category);
        Assert.NotNull(ssn.GetCustomAttribute<EncryptedAttribute>());
        Assert.NotNull(id.GetCustomAttribute<NotPhiAttribute>());
        Assert.Null(typeof(SamplePatient).GetCustomAttribute<PhiAttribute>()!.Category);
    }

    [Fact]
    public void Phi_OnAType_IsInheritedByDerivedTypes()
    {
        Assert.NotNull(typeof(DerivedPatient).GetCustomAttribute<PhiAttribute>(inherit: true));
    }

    private static AttributeUsageAttribute UsageOf<T>()
        where T : Attribute =>
        typeof(T).GetCustomAttribute<AttributeUsageAttribute>()!;

    [Phi]
    private class SamplePatient
    {
        [NotPhi]
        public Guid Id { get; set; }

        [Phi(Category = "SSN")]
        [Encrypted]
        public string Ssn { get; set; } = "";
    }

    private sealed class DerivedPatient : SamplePatient
    {
    }
}
