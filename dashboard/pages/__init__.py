"""One module per URL: `dash.register_page` and a `layout()` that does no database work."""
