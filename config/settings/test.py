from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

SECRET_KEY = "ponte-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = env.path("PONTE_TEST_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
PONTE_ML_ARTIFACT_DIR = env.path("PONTE_ML_ARTIFACT_DIR", default=BASE_DIR / "var" / "test-models")
PONTE_SEARCH_EMBEDDED_DIR = env.path(
    "PONTE_SEARCH_EMBEDDED_DIR", default=BASE_DIR / "var" / "test-search"
)
# Generous API rates, so that suites sending many requests (contract tests) are not
# throttled; tests of throttling set their own small rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "auth": "100000/min"},
}
PONTE_CREDENTIALS_KEY_DIR = env.path("PONTE_TEST_KEY_DIR", default=BASE_DIR / "var" / "test-keys")
PONTE_PUBLIC_URL = "https://ponte.example"
