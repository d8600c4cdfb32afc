"""The production settings as the README documents them, for tests that check them."""

import importlib
import re
import secrets
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_production_env() -> dict[str, str]:
    """The `export NAME=value` lines of the README's production section, as a mapping.

    Command substitutions (the generated SECRET_KEY) are replaced by a fresh secret.
    """
    text = README.read_text(encoding="utf-8")
    section = text.split("## Running it in production", 1)[1].split("\n## ", 1)[0]
    env = {}
    for name, value in re.findall(r"^\s*export (\w+)=(.*)$", section, flags=re.MULTILINE):
        value = value.split("  #", 1)[0].strip()
        if value.startswith('"$(') or value.startswith("$("):
            value = secrets.token_urlsafe(50)
        env[name] = value.strip('"')
    return env


def production_settings(monkeypatch):
    """Import config.settings.prod afresh with the README's environment; returns the module.

    Only reads the module's values: the settings the tests run with are not changed.
    """
    for name, value in readme_production_env().items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.prod", None)
    module = importlib.import_module("config.settings.prod")
    sys.modules.pop("config.settings.prod", None)
    return module
