"""The account commands: `user create` (password from a file or a prompt) and `token create`."""

from __future__ import annotations

import pytest

from buenaspracticas.cli import main
from buenaspracticas.curation import services
from buenaspracticas.curation.models import Account

pytestmark = pytest.mark.django_db


def test_user_create_with_password_file_and_token_create(tmp_path, capsys, report):
    pw = tmp_path / "pw"
    pw.write_text("una-clave-larga-7391\n")
    assert (
        main(
            [
                "user",
                "create",
                "--username",
                "ofam-oax",
                "--role",
                "editor",
                "--state",
                "MX-OAX",
                "--password-file",
                str(pw),
            ]
        )
        == 0
    )
    account = Account.objects.get(user__username="ofam-oax")
    assert account.role == "editor" and account.state.code == "MX-OAX"
    assert account.user.check_password("una-clave-larga-7391")
    capsys.readouterr()
    assert main(["token", "create", "--username", "ofam-oax"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[0]
    assert services.token_authenticate(header=f"Bearer {token}") == account.user


def test_password_is_prompted_when_no_file(monkeypatch, report):
    answers = iter(["una-clave-larga-7391", "una-clave-larga-7391"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["user", "create", "--username", "eva2", "--role", "evaluator"]) == 0
    assert Account.objects.get(user__username="eva2").state is None


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--role", "editor"], "estado"),
        (["--role", "evaluator", "--state", "MX-OAX"], "Solo las cuentas de editor"),
        (["--role", "editor", "--state", "MX-ZZZ"], "MX-ZZZ"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(tmp_path, capsys, report, argv, message):
    pw = tmp_path / "pw"
    pw.write_text("una-clave-larga-7391")
    assert main(["user", "create", "--username", "x", *argv, "--password-file", str(pw)]) == 2
    assert message in capsys.readouterr().err


def test_weak_password_is_refused(tmp_path, capsys, report):
    pw = tmp_path / "pw"
    pw.write_text("123")
    assert main(["user", "create", "--username", "y", "--role", "evaluator", "--password-file", str(pw)]) == 2
    assert "error" in capsys.readouterr().err


def test_token_for_unknown_user(capsys, report):
    assert main(["token", "create", "--username", "nadie"]) == 2
