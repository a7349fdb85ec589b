# Production image: gunicorn serving config.wsgi, static files collected at build time and
# served by whitenoise. The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# The statutory documents' PDFs are made by LibreOffice (headless, in the worker) with CJK fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes do not invalidate this layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The code stays owned by root (read-only for the app user); only var/ is writable.
COPY . .

# The secret key is a build-only dummy, set for this one command and not kept in the image;
# the memory broker keeps settings from creating filesystem-broker folders.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret CELERY_BROKER_URL=memory:// \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var/beat /app/var/media \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# Worker count comes from WEB_CONCURRENCY (default 3 above; override at run time).
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-"]
