"""Programme milestone and benefits tracker for an Adult Social Care and Health directorate."""

__version__ = "0.1.0"

# The product's own component scripts (dashboard/ui/markup.py's MarkupBlock, dashboard/ui/address.py's
# Address), served by Dash from this package like any component library's.
_js_dist = [
    {"relative_package_path": "ui/js/markup_block.js", "namespace": "dashboard"},
    {"relative_package_path": "ui/js/address.js", "namespace": "dashboard"},
]
