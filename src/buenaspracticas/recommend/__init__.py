"""Replication advice: state profiles, population groups, coverage gaps, GCM objectives and the ledger."""
