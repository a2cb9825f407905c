using Sharpflow.Datastore;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Sharpflow.S3;

/// <summary>
/// An <c>s3://bucket/prefix</c> datastore root and how to reach it: credentials and region from the standard AWS chain
/// (environment, profile, instance role), and for S3-compatible stores an endpoint from <c>SHARPFLOW_S3_ENDPOINT</c>
/// (or <c>AWS_ENDPOINT_URL_S3</c>), addressed path-style.
/// </summary>
public sealed record S3Location(string Bucket, string Prefix)
{
    /// <summary>The environment variable naming an S3-compatible endpoint, e.g. <c>http://127.0.0.1:9000</c>.</summary>
    public const string EndpointVariable = "SHARPFLOW_S3_ENDPOINT";

    /// <summary>True for <c>s3://...</c> roots.</summary>
    public static bool IsS3(string? root) => root?.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Parses <c>s3://bucket</c> or <c>s3://bucket/some/prefix</c>.</summary>
    public static S3Location Parse(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!IsS3(root))
        {
            throw new ArgumentException($"'{root}' is not an S3 datastore root; write s3://bucket or s3://bucket/prefix.");
        }
        var rest = root["s3://".Length..].Trim('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length < 3)
        {
            throw new ArgumentException($"'{root}' names no bucket; write s3://bucket or s3://bucket/prefix.");
        }
        return new S3Location(bucket, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
    }

    /// <summary>A client for this location, with adaptive retries (throttling and 5xx are retried with backoff).</summary>
    public static IAmazonS3 CreateClient()
    {
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Adaptive,
            MaxErrorRetry = 8,
        };
        var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
        if ((Environment.GetEnvironmentVariable(EndpointVariable) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3")) is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonS3Client(config);
    }

    /// <inheritdoc />
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
}
