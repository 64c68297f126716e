"""Authentication: API tokens, login lockout (django-axes), API throttling."""
