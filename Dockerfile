# Production image for Liaison: gunicorn serves the site (static files through WhiteNoise);
# the same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

# settings.py refuses to start without a SECRET_KEY when DEBUG is off. LIAISON_VAR_DIR / STATIC_ROOT / MEDIA_ROOT: fixed paths inside the image, where
# docker-compose.yml mounts its volumes. WEB_CONCURRENCY: gunicorn's worker count (override in .env).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=liaison.settings \
    LIAISON_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    PDF_FONT_DIR=/app/fonts \
    WEB_CONCURRENCY=3

# What WeasyPrint loads at runtime (Pango, HarfBuzz; harfbuzz-subset keeps subsetting the large
# CJK fonts fast), the Chinese fonts the PDFs are set in, and pg_dump / pg_restore (PostgreSQL 15,
# the server version of docker-compose.yml) for `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Official documents print in licensed 仿宋 / 小标宋 (and 黑体 / 楷体) when their files are in
# PDF_FONT_DIR, recognised by name (e.g. 仿宋_GB2312.ttf, FZXBSJW_小标宋.ttf): mount a folder there
# (docker compose: `- ./fonts:/app/fonts:ro`) or copy them in a derived image. Without them, Noto.
RUN mkdir -p /app/fonts

RUN groupadd --system --gid 1000 liaison \
    && useradd --system --uid 1000 --gid liaison --home-dir /app --shell /usr/sbin/nologin liaison

WORKDIR /app

# Runtime requirements only: everything above the "# Tests" line of requirements.txt.
# (If that line ever disappears, sed deletes nothing and the whole file is installed.)
COPY requirements.txt /tmp/requirements.txt
RUN sed '/^# Tests/,$d' /tmp/requirements.txt > /tmp/requirements-runtime.txt \
    && pip install -r /tmp/requirements-runtime.txt \
    && rm /tmp/requirements.txt /tmp/requirements-runtime.txt

# The application, listed explicitly so that .venv, .env, var/ and the demo SQLite file of a
# working copy never end up in the image.
COPY --chown=liaison:liaison manage.py ./
COPY --chown=liaison:liaison liaison ./liaison
COPY --chown=liaison:liaison cases ./cases
COPY --chown=liaison:liaison meetings ./meetings
COPY --chown=liaison:liaison mediation ./mediation
COPY --chown=liaison:liaison static ./static
COPY --chown=liaison:liaison templates ./templates
COPY --chown=liaison:liaison locale ./locale

# Directories the volumes are mounted on must exist and belong to the app user, so that new
# named volumes are created with that ownership.
RUN mkdir -p /app/var/media /app/var/celery-beat /app/staticfiles \
    && chown -R liaison:liaison /app/var /app/staticfiles

USER liaison

# Static files are collected into the image. The SECRET_KEY here exists for this one step only
# (settings refuse to load without one); REDIS_URL keeps settings from creating the
# filesystem-broker folders. No database or Redis is contacted.
RUN SECRET_KEY=collectstatic-only-not-a-real-key \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 1

EXPOSE 8000

CMD ["gunicorn", "liaison.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "120", \
     "--graceful-timeout", "30", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
