using System.Collections.Generic;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Http;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

internal static class AuditMetadata
{
    /// <summary>
    /// The effective audit metadata of an endpoint: the last declared attribute (action over controller), else the
    /// last convention (endpoint over group over <c>MapControllers()</c>).
    /// </summary>
    public static AuditPhiAccessAttribute? Find(IEnumerable<object> metadata)
    {
        AuditPhiAccessAttribute? declared = null;
        AuditPhiAccessAttribute? convention = null;
        foreach (object item in metadata)
        {
            if (item is AuditPhiAccessAttribute attribute)
            {
                if (attribute.FromConvention)
                {
                    convention = attribute;
                }
                else
                {
                    declared = attribute;
                }
            }
        }

        return declared ?? convention;
    }

    public static AuditAction ActionFor(AuditPhiAccessAttribute attribute, string method)
        => attribute.Action ?? FromMethod(method);

    /// <summary>GET and HEAD viewed; POST, PUT and PATCH modified; DELETE deleted; anything else viewed.</summary>
    public static AuditAction FromMethod(string method)
    {
        if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
        {
            return AuditAction.Modified;
        }

        return HttpMethods.IsDelete(method) ? AuditAction.Deleted : AuditAction.Viewed;
    }
}
