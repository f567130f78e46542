"""`coordination_reminders`: e-mail each open agreement's owner state a week before it is due (run daily)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from buenaspracticas.coordination import notifications, services


class Command(BaseCommand):
    help = "Recuerda por correo, una semana antes, los acuerdos por vencer a su estado responsable (diario)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="AAAA-MM-DD (pruebas)")

    def handle(self, *args, today: date | None = None, **options) -> None:
        sent = services.agreement_reminders_send(user=None, today=today)
        notifications.wait_until_sent()
        self.stdout.write(f"Recordatorios enviados: {len(sent)} acuerdo(s).")
