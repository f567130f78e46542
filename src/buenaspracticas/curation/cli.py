"""Subcommands of this feature for the `buenaspracticas` command: accounts and API tokens (create, list,
revoke). Run on the server, they act as the system operator; the services still validate roles, states and
passwords."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        return Path(args.password_file).read_text(encoding="utf-8").rstrip("\r\n")
    first = getpass.getpass("Contraseña: ")
    if first != getpass.getpass("Repita la contraseña: "):
        from buenaspracticas.errors import ValidationError

        raise ValidationError("Las contraseñas no coinciden.", field="password")
    return first


def cmd_user_create(args: argparse.Namespace) -> int:
    """Create an account with its role (and state, for editors)."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.curation import services

    user = services.account_create(
        username=args.username, role=args.role, state_code=args.state, password=_password(args), actor=None
    )
    where = f" ({args.state})" if args.state else ""
    print(f"Cuenta creada: {user.get_username()}, rol {args.role}{where}.")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    """Create an API token for an account and print it (it is shown only once)."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.curation import services

    token = services.token_create(username=args.username, actor=None, days=args.days, label=args.label or "")
    print(token)
    print(
        "Guárdelo: no se puede volver a mostrar. Úselo como «Authorization: Bearer <token>».", file=sys.stderr
    )
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    """Revoke a token given whole or by its prefix; it stops working at once."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.curation import services

    row = services.token_revoke(actor=None, key=args.token, username=args.username)
    print(f"Token {row.prefix}… de {row.user.get_username()} revocado.")
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    """Print an account's tokens: prefix, status, dates and what each is for (never the token itself)."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.curation import selectors

    rows = selectors.token_list(user=None, username=args.username)
    if not rows:
        print(f"La cuenta «{args.username}» no tiene tokens.")
    for t in rows:
        used = f"{t['last_used_at']:%Y-%m-%d %H:%M}" if t["last_used_at"] else "nunca"
        columns = [
            f"{t['prefix']}…",
            t["status"],
            f"creado {t['created_at']:%Y-%m-%d}",
            f"vence {t['expires_at']:%Y-%m-%d}",
            f"último uso {used}",
            t["label"],
        ]
        print("\t".join(columns).rstrip())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's subcommands to the CLI."""
    user = sub.add_parser("user", help="cuentas (editor estatal, evaluador, coordinación)")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    create = user_sub.add_parser("create", help="crear una cuenta")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=["editor", "evaluator", "coordinator"])
    create.add_argument("--state", help="estado de un editor (código ISO, p. ej. MX-OAX)")
    create.add_argument("--password-file", help="leer la contraseña de este archivo (si no, se pregunta)")
    create.set_defaults(func=cmd_user_create)

    token = sub.add_parser("token", help="tokens de la API")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    tcreate = token_sub.add_parser("create", help="crear un token y mostrarlo")
    tcreate.add_argument("--username", required=True)
    tcreate.add_argument("--days", type=int, help="días de vigencia (por omisión, 90)")
    tcreate.add_argument("--label", help="para qué es el token (se muestra en las listas)")
    tcreate.set_defaults(func=cmd_token_create)
    trevoke = token_sub.add_parser("revoke", help="revocar un token (completo o por su prefijo)")
    trevoke.add_argument("token", metavar="PREFIX_OR_TOKEN")
    trevoke.add_argument("--username", help="la cuenta del token, si el prefijo no basta")
    trevoke.set_defaults(func=cmd_token_revoke)
    tlist = token_sub.add_parser("list", help="listar los tokens de una cuenta")
    tlist.add_argument("--username", required=True)
    tlist.set_defaults(func=cmd_token_list)
