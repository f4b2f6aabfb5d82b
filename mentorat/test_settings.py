"""Settings of the test suite: a developer's machine (DEBUG=1), and fast password hashing.

Tests that need production settings start a fresh process with their own
environment (tests/test_security.py).
"""

import os

# Read by mentorat.settings as it is imported: SQLite unless DATABASE_URL says
# otherwise, static files from the apps' folders, e-mail captured by the test runner.
os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402, F403

# Tests create accounts all the time: a deliberately slow hash would dominate them.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No SMS provider, as in production without SMS_API_KEY: families with a phone only
# are « à appeler ». Tests of the SMS path set core.sms.LocmemBackend.
SMS_BACKEND = ""
