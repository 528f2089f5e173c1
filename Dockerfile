# The production image: one image for web (gunicorn), worker and beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/venv \
    PATH="/venv/bin:$PATH"
RUN pip install --no-cache-dir uv==0.13.8 && useradd --create-home app

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
# collectstatic needs settings, not secrets: a throwaway key is enough at build time.
RUN DEBUG=false SECRET_KEY=build-only-not-secret VAR_DIR=/tmp/var \
    python manage.py collectstatic --noinput \
  && mkdir -p /app/var/media && chown -R app /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "mentorship.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
