"""API fixtures: accounts of each role (editors of Oaxaca and Jalisco) and their Bearer tokens."""

from __future__ import annotations

import pytest

from tests.accounts import FICHA, PASSWORD, accounts_create, bearer, tokens_for

__all__ = ["FICHA", "PASSWORD", "bearer"]


@pytest.fixture
def accounts(report):
    """Users by name: editor (MX-OAX), other_editor (MX-JAL), evaluator, coordinator."""
    return accounts_create(visitor=False)


@pytest.fixture
def tokens(accounts):
    """Bearer tokens by account name."""
    return tokens_for(accounts)
