"""Production: no insecure defaults. DJANGO_SECRET_KEY and DATABASE_URL are required."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DATABASES = {"default": env.db("DATABASE_URL")}
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=3600)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
PONTE_PRODUCTION = True
# Load balancers probe over plain HTTP on the internal network: never redirect the probes.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
