"""Test settings: the project's settings with a throw-away data folder per process and fast hashing."""

import os
import tempfile

os.environ.setdefault("BUENASPRACTICAS_DATA_DIR", tempfile.mkdtemp(prefix="buenaspracticas-test-"))
os.environ.setdefault("BUENASPRACTICAS_EMBEDDER", "fake")

from buenaspracticas.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
