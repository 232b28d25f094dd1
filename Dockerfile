# The dashboard served by gunicorn; configure with the same environment variables as README lists.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DASHBOARD_ENV=production \
    HOST=0.0.0.0 \
    PORT=8050 \
    WEB_CONCURRENCY=3

WORKDIR /app
COPY pyproject.toml README.md alembic.ini app.py ./
COPY dashboard ./dashboard
COPY data/seed ./data/seed
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 dashboard \
    && mkdir -p /app/data && chown -R dashboard /app/data
USER dashboard

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz')"
# Migrate and load the reference data (idempotent; in production nothing else: no illustrative data,
# no demo users), then serve app:server with several workers. The council's programme is loaded once,
# by choice: `docker run … python -m dashboard seed documents`, then `create-user` (README, Deploying).
CMD ["sh", "-c", "python -m dashboard init-db && exec gunicorn --bind ${HOST}:${PORT} --workers ${WEB_CONCURRENCY} --access-logfile - app:server"]
