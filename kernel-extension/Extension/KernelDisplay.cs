using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Sharpflow.Interactive.Extension;

/// <summary>
/// Shows the magics' HTML in the cell that is running them. Updates are published on that cell's context directly, so
/// they reach the cell from any thread a run reports progress on (the kernel's ambient context does not follow every
/// thread).
/// </summary>
internal sealed class KernelDisplay(KernelInvocationContext context) : INotebookDisplay
{
    public IDisplayHandle Display(string html) => new Handle(context, context.Display(html.ToHtmlContent(), HtmlFormatter.MimeType));

    private sealed class Handle(KernelInvocationContext context, DisplayedValue shown) : IDisplayHandle
    {
        public void Update(string html)
        {
            var value = html.ToHtmlContent();
            context.Publish(new DisplayedValueUpdated(value, shown.DisplayId, context.Command, FormattedValue.CreateManyFromObject(value, HtmlFormatter.MimeType)));
        }
    }
}
