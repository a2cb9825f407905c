using Sharpflow.Datastore;
using Sharpflow.Extensibility;

[assembly: SharpflowAddOn(typeof(Sharpflow.S3.S3AddOn))]

namespace Sharpflow.S3;

/// <summary>
/// The S3 add-on: <c>s3://bucket/prefix</c> datastores (AWS credential chain; <c>SHARPFLOW_S3_ENDPOINT</c> for
/// S3-compatible stores), read through a local cache of their content-addressed blobs.
/// </summary>
public sealed class S3AddOn : ISharpflowAddOn
{
    /// <inheritdoc />
    public string PackageId => "Sharpflow.S3";

    /// <inheritdoc />
    public void Register(AddOnRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddDatastore("s3",
            root => new ReadThroughCache(new S3BlobStore(S3Location.Parse(root)), ReadThroughCache.DefaultFolder),
            plainVariables: [S3Location.EndpointVariable, "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_DEFAULT_REGION"],
            secretVariables: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]);
        registry.AddRefusal(e => e is Amazon.Runtime.AmazonServiceException); // access denied, no such bucket: the user's to fix
    }
}
