"""Builds the dashboard's Dash app; gunicorn serves `app:server`, `python app.py` the dev server."""

from dashboard.config import load_settings
from dashboard.web import create_app, freeze_startup_heap

settings = load_settings()
app = create_app(settings)
server = app.server
freeze_startup_heap()

if __name__ == "__main__":
    # Dash reads DASH_DEBUG=true for its developer tools; off by default.
    app.run(host=settings.host, port=settings.port)
