using System.Diagnostics.CodeAnalysis;

namespace Sharpflow.Extensibility;

/// <summary>
/// Declares an assembly's add-on: <c>[assembly: SharpflowAddOn(typeof(SlurmAddOn))]</c>. Sharpflow finds it in every
/// assembly named <c>Sharpflow.*.dll</c> beside the application, in every loaded assembly, and in assemblies loaded later
/// (a notebook's <c>#r "nuget: ..."</c>); see <see cref="AddOns"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class SharpflowAddOnAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type addOnType) : Attribute
{
    /// <summary>The <see cref="ISharpflowAddOn"/> type (public, with a parameterless constructor, which trimming keeps).</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type AddOnType { get; } = addOnType;
}
