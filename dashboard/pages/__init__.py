"""One module per URL: `dash.register_page` and a `layout()` built per request.

Nothing reads the database at import time. A layout may read what its filters offer (projects,
meetings, KPIs) through `dashboard.queries`, never through SQLAlchemy or the session directly; the
page's data arrives through its callbacks.
"""
