"""Every environment setting is declared once and documented in the README (Datasette's rule)."""

from pathlib import Path

from buenaspracticas.settings import ENV_SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_environment_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [name for name, _, _ in ENV_SETTINGS if f"`{name}`" not in text]
    assert missing == []
