"""Curation fixtures: one account per role (editors of Oaxaca and Jalisco), their API tokens and clients."""

from __future__ import annotations

import pytest

from tests.accounts import FICHA, PASSWORD, accounts_create, bearer, clients_for, tokens_for

__all__ = ["FICHA", "PASSWORD", "auth"]


@pytest.fixture
def accounts(report):
    """Users by name: editor (MX-OAX), other_editor (MX-JAL), evaluator, coordinator, visitor (no role)."""
    return accounts_create()


@pytest.fixture
def tokens(accounts):
    return tokens_for(accounts)


@pytest.fixture
def clients(accounts):
    return clients_for(accounts)


auth = bearer
