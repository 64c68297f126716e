"""Production: no insecure defaults. DJANGO_SECRET_KEY and DATABASE_URL are required.

`manage.py check --deploy` passes with these settings (tests/common/test_deploy.py).
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DATABASES = {"default": env.db("DATABASE_URL")}
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HTTPS only: plain HTTP is redirected, and browsers are told to use HTTPS for a year
# (subdomains included; "preload" only allows submitting the domain to the browsers' list).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
PONTE_PRODUCTION = True
# Load balancers probe over plain HTTP on the internal network: never redirect the probes.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
