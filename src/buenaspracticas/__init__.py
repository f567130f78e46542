"""buenaspracticas: the common database of good practices in local migration policy (OIM/CONOFAM)."""

__version__ = "0.1.0"
