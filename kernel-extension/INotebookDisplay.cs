namespace Sharpflow.Interactive;

/// <summary>Where the magics show HTML: the notebook cell's output (the extension's glue maps it to the kernel's display API).</summary>
public interface INotebookDisplay
{
    /// <summary>Shows HTML and returns a handle that replaces it in place.</summary>
    IDisplayHandle Display(string html);
}

/// <summary>A shown output that can be replaced.</summary>
public interface IDisplayHandle
{
    /// <summary>Replaces the shown HTML.</summary>
    void Update(string html);
}
