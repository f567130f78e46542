"""Subcommands of this feature for the `buenaspracticas` command."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's subcommands to the CLI."""
