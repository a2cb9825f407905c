namespace Sharpflow;

/// <summary>
/// The stored value of an <see cref="IncludeFileAttribute"/> parameter: the path the file was read from and the hash and
/// size of its content, a blob in the flow's datastore. <see cref="Hash"/> is null until the run has stored the file.
/// </summary>
/// <param name="Path">The path as given (or the default).</param>
/// <param name="Hash">The content hash of the stored file, or null before it is stored.</param>
/// <param name="Size">The file's size in bytes.</param>
public sealed record IncludedFileRecord(string Path, string? Hash = null, long Size = 0);
