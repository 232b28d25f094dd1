"""Programme milestone and benefits tracker for an Adult Social Care and Health directorate."""

__version__ = "0.1.0"

# The product's own component script (dashboard/ui/markup.py's MarkupBlock), served by Dash from this
# package like any component library's.
_js_dist = [{"relative_package_path": "ui/js/markup_block.js", "namespace": "dashboard"}]
